// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: devlink - one instance per PF and one port per VF.
 *
 * The instance reports the driver, the serial number (the NVM MAC) and
 * the versions the driver reads (PCI device and revision, NVM image).
 * The e-switch stays in legacy mode: switchdev needs the NIC to hand every
 * VF frame that matches no rule to a representor, and the 82576 switch
 * can only deliver to pools by MAC and VLAN filters.
 *
 * A VF's port (flavour pci_vf) exists from SR-IOV enable to disable.  Its
 * function's hw_addr is the VF's MAC and its state the VF's link state,
 * set through the same code as "ip link set PF vf N mac|state", so devlink,
 * rtnetlink and the sriov genl family show one value.
 *
 * Locking: the devlink core holds the instance lock (devl_lock) around
 * every devlink operation; the driver takes it to (un)register the ports.
 * Lock order: device_lock(PF) -> devl_lock -> rtnl -> sr->lock.  The port
 * function operations take only sr->lock, which guards the VF state they
 * read and write.  The ports are registered after the VF array exists and
 * unregistered before it is freed, both under devl_lock and from
 * sriov_configure or remove (device_lock held, so the array cannot change
 * meanwhile): an operation never sees a freed VF.  sr->lock is never held
 * while a port is (un)registered, since the devlink core calls the port
 * function operations to build its notification.
 */
#include <linux/etherdevice.h>
#include <linux/pci.h>
#include <net/devlink.h>

#include "swpf.h"
#include "swpf_sriov.h"

struct swpf_devlink {
	struct swpf_dev *pf;
};

static struct swpf_dev *swpf_devlink_pf(struct devlink *devlink)
{
	struct swpf_devlink *priv = devlink_priv(devlink);

	return priv->pf;
}

static int swpf_devlink_info_get(struct devlink *devlink,
				 struct devlink_info_req *req,
				 struct netlink_ext_ack *extack)
{
	struct swpf_dev *pf = swpf_devlink_pf(devlink);
	char buf[32];
	int err;

	snprintf(buf, sizeof(buf), "%pM", pf->perm_addr);
	err = devlink_info_serial_number_put(req, buf);
	if (err)
		return err;

	snprintf(buf, sizeof(buf), "0x%04x", pf->pdev->device);
	err = devlink_info_version_fixed_put(req,
					     DEVLINK_INFO_VERSION_GENERIC_ASIC_ID,
					     buf);
	if (err)
		return err;
	snprintf(buf, sizeof(buf), "%u", pf->pdev->revision);
	err = devlink_info_version_fixed_put(req,
					     DEVLINK_INFO_VERSION_GENERIC_ASIC_REV,
					     buf);
	if (err)
		return err;

	/* the NVM image version word, as printed at probe */
	snprintf(buf, sizeof(buf), "%u.%u-%u",
		 (u32)FIELD_GET(SWPF_NVM_VERSION_MAJOR, pf->nvm_version),
		 (u32)FIELD_GET(SWPF_NVM_VERSION_MINOR, pf->nvm_version),
		 (u32)FIELD_GET(SWPF_NVM_VERSION_BUILD, pf->nvm_version));
	return devlink_info_version_running_put(req,
						DEVLINK_INFO_VERSION_GENERIC_FW,
						buf);
}

static int swpf_devlink_eswitch_mode_get(struct devlink *devlink, u16 *mode)
{
	*mode = DEVLINK_ESWITCH_MODE_LEGACY;
	return 0;
}

static int swpf_devlink_eswitch_mode_set(struct devlink *devlink, u16 mode,
					 struct netlink_ext_ack *extack)
{
	if (mode == DEVLINK_ESWITCH_MODE_LEGACY)
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "only legacy mode: the 82576 cannot send VF traffic that matches no filter to representors");
	return -EOPNOTSUPP;
}

static const struct devlink_ops swpf_devlink_ops = {
	.info_get = swpf_devlink_info_get,
	.eswitch_mode_get = swpf_devlink_eswitch_mode_get,
	.eswitch_mode_set = swpf_devlink_eswitch_mode_set,
};

/* ---- VF ports ---- */

static struct swpf_vf *swpf_port_vf(struct devlink_port *port)
{
	return container_of(port, struct swpf_vf, dl_port);
}

static int swpf_port_fn_hw_addr_get(struct devlink_port *port, u8 *hw_addr,
				    int *hw_addr_len,
				    struct netlink_ext_ack *extack)
{
	struct swpf_vf *vf = swpf_port_vf(port);

	mutex_lock(&vf->sr->lock);
	ether_addr_copy(hw_addr, vf->mac);
	mutex_unlock(&vf->sr->lock);
	*hw_addr_len = ETH_ALEN;
	return 0;
}

static int swpf_port_fn_hw_addr_set(struct devlink_port *port,
				    const u8 *hw_addr, int hw_addr_len,
				    struct netlink_ext_ack *extack)
{
	struct swpf_vf *vf = swpf_port_vf(port);
	int err;

	if (hw_addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_MOD(extack, "a VF's address is a 6-byte MAC");
		return -EINVAL;
	}
	mutex_lock(&vf->sr->lock);
	err = swpf_vf_admin_mac(vf, hw_addr, extack);
	mutex_unlock(&vf->sr->lock);
	return err;
}

/*
 * state: inactive while the VF's link state is "disable" (its pool does
 * not receive or transmit); opstate: attached once a VF driver finished
 * the reset handshake with the PF.
 */
static int swpf_port_fn_state_get(struct devlink_port *port,
				  enum devlink_port_fn_state *state,
				  enum devlink_port_fn_opstate *opstate,
				  struct netlink_ext_ack *extack)
{
	struct swpf_vf *vf = swpf_port_vf(port);

	mutex_lock(&vf->sr->lock);
	*state = vf->link_state == IFLA_VF_LINK_STATE_DISABLE ?
		 DEVLINK_PORT_FN_STATE_INACTIVE : DEVLINK_PORT_FN_STATE_ACTIVE;
	*opstate = vf->cts ? DEVLINK_PORT_FN_OPSTATE_ATTACHED :
		   DEVLINK_PORT_FN_OPSTATE_DETACHED;
	mutex_unlock(&vf->sr->lock);
	return 0;
}

static int swpf_port_fn_state_set(struct devlink_port *port,
				  enum devlink_port_fn_state state,
				  struct netlink_ext_ack *extack)
{
	struct swpf_vf *vf = swpf_port_vf(port);

	mutex_lock(&vf->sr->lock);
	if (state == DEVLINK_PORT_FN_STATE_INACTIVE)
		swpf_vf_set_link_state(vf, IFLA_VF_LINK_STATE_DISABLE);
	else if (vf->link_state == IFLA_VF_LINK_STATE_DISABLE)
		swpf_vf_set_link_state(vf, IFLA_VF_LINK_STATE_AUTO);
	mutex_unlock(&vf->sr->lock);
	return 0;
}

static const struct devlink_port_ops swpf_vf_port_ops = {
	.port_fn_hw_addr_get = swpf_port_fn_hw_addr_get,
	.port_fn_hw_addr_set = swpf_port_fn_hw_addr_set,
	.port_fn_state_get = swpf_port_fn_state_get,
	.port_fn_state_set = swpf_port_fn_state_set,
};

static void swpf_devlink_ports_del_locked(struct swpf_vf *vfs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!vfs[i].dl_port_registered)
			continue;
		devl_port_unregister(&vfs[i].dl_port);
		vfs[i].dl_port_registered = false;
	}
}

/**
 * swpf_devlink_ports_add - register a devlink port for every VF
 * @sr: the SR-IOV state, VFs enabled (device_lock of the PF held)
 *
 * Port index n is VF n.
 *
 * Return: 0, or the error of a registration (no port is left then).
 */
int swpf_devlink_ports_add(struct swpf_sriov *sr)
{
	struct swpf_dev *pf = sr->pf;
	struct devlink *devlink = pf->devlink;
	struct swpf_vf *vfs;
	unsigned int i, n;
	int err = 0;

	mutex_lock(&sr->lock);
	vfs = sr->vfs;
	n = sr->num_vfs;
	mutex_unlock(&sr->lock);

	devl_lock(devlink);
	for (i = 0; i < n; i++) {
		struct swpf_vf *vf = &vfs[i];

		devlink_port_attrs_pci_vf_set(&vf->dl_port, 0,
					      PCI_FUNC(pf->pdev->devfn), i,
					      false);
		err = devl_port_register_with_ops(devlink, &vf->dl_port, i,
						  &swpf_vf_port_ops);
		if (err) {
			dev_err(&pf->pdev->dev,
				"devlink port of VF %u: %d\n", i, err);
			break;
		}
		vf->dl_port_registered = true;
	}
	if (err)
		swpf_devlink_ports_del_locked(vfs, i);
	devl_unlock(devlink);
	return err;
}

/* unregister the VF ports (device_lock of the PF held, sr->lock not) */
void swpf_devlink_ports_del(struct swpf_sriov *sr)
{
	struct devlink *devlink = sr->pf->devlink;
	struct swpf_vf *vfs;
	unsigned int n;

	mutex_lock(&sr->lock);
	vfs = sr->vfs;
	n = sr->num_vfs;
	mutex_unlock(&sr->lock);

	devl_lock(devlink);
	swpf_devlink_ports_del_locked(vfs, n);
	devl_unlock(devlink);
}

/* ---- instance ---- */

int swpf_devlink_alloc(struct swpf_dev *pf)
{
	struct swpf_devlink *priv;
	struct devlink *devlink;

	devlink = devlink_alloc(&swpf_devlink_ops, sizeof(*priv),
				&pf->pdev->dev);
	if (!devlink)
		return -ENOMEM;
	priv = devlink_priv(devlink);
	priv->pf = pf;
	pf->devlink = devlink;
	return 0;
}

/* the last step of probe: from here on user space may reach the instance */
void swpf_devlink_register(struct swpf_dev *pf)
{
	devlink_register(pf->devlink);
}

/* after the VF ports are gone (swpf_sriov_deinit()) */
void swpf_devlink_unregister(struct swpf_dev *pf)
{
	devlink_unregister(pf->devlink);
}

void swpf_devlink_free(struct swpf_dev *pf)
{
	devlink_free(pf->devlink);
	pf->devlink = NULL;
}
