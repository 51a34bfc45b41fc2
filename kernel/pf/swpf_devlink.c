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
 * The driver's policy knobs are runtime params (below), and three health
 * reporters (swpf_health.c) tell of mailbox floods, failed FLRs and PF
 * resets.
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

#include "swpf_devlink.h"

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
	swpf_hw_nvm_version_str(pf, buf, sizeof(buf));
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
	*state = swpf_vf_enabled(vf) ? DEVLINK_PORT_FN_STATE_ACTIVE :
		 DEVLINK_PORT_FN_STATE_INACTIVE;
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
	swpf_vf_set_enabled(vf, state == DEVLINK_PORT_FN_STATE_ACTIVE);
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

/*
 * ---- params ----
 *
 * The driver's policy knobs, runtime cmode.  Each is the module parameter
 * of the same name: one value for every PF the module drives, so a set on
 * one instance shows on the others and in /sys/module/sriov_pf/parameters.
 * The values are read where they are used (mailbox admission, a VF's
 * SET_VLAN, a VF reset, switch creation), under no devlink lock.
 */
enum swpf_devlink_param_id {
	SWPF_DEVLINK_PARAM_ID_BASE = DEVLINK_PARAM_GENERIC_ID_MAX,
	SWPF_DEVLINK_PARAM_ID_MBX_RATE,
	SWPF_DEVLINK_PARAM_ID_MBX_BURST,
	SWPF_DEVLINK_PARAM_ID_VF_VLAN_QUOTA,
	SWPF_DEVLINK_PARAM_ID_VF_RESET_FAILOVER,
	SWPF_DEVLINK_PARAM_ID_DEFAULT_MAC_FILTERS_MAX,
};

static int swpf_param_get(struct devlink *devlink, u32 id,
			  struct devlink_param_gset_ctx *ctx)
{
	switch (id) {
	case SWPF_DEVLINK_PARAM_ID_MBX_RATE:
		ctx->val.vu32 = swpf_mbx_rate();
		return 0;
	case SWPF_DEVLINK_PARAM_ID_MBX_BURST:
		ctx->val.vu32 = swpf_mbx_burst();
		return 0;
	case SWPF_DEVLINK_PARAM_ID_VF_VLAN_QUOTA:
		ctx->val.vu32 = swpf_vf_vlan_quota();
		return 0;
	case SWPF_DEVLINK_PARAM_ID_VF_RESET_FAILOVER:
		ctx->val.vbool = swpf_vf_reset_failover();
		return 0;
	case SWPF_DEVLINK_PARAM_ID_DEFAULT_MAC_FILTERS_MAX:
		ctx->val.vu32 = swpf_default_mac_filters_max();
		return 0;
	}
	return -EOPNOTSUPP;
}

/* the value was checked by swpf_param_validate() */
static int swpf_param_set(struct devlink *devlink, u32 id,
			  struct devlink_param_gset_ctx *ctx,
			  struct netlink_ext_ack *extack)
{
	switch (id) {
	case SWPF_DEVLINK_PARAM_ID_MBX_RATE:
		swpf_mbx_set_rate(ctx->val.vu32);
		return 0;
	case SWPF_DEVLINK_PARAM_ID_MBX_BURST:
		swpf_mbx_set_burst(ctx->val.vu32);
		return 0;
	case SWPF_DEVLINK_PARAM_ID_VF_VLAN_QUOTA:
		swpf_vf_set_vlan_quota(ctx->val.vu32);
		return 0;
	case SWPF_DEVLINK_PARAM_ID_VF_RESET_FAILOVER:
		swpf_set_vf_reset_failover(ctx->val.vbool);
		return 0;
	case SWPF_DEVLINK_PARAM_ID_DEFAULT_MAC_FILTERS_MAX:
		swpf_set_default_mac_filters_max(ctx->val.vu32);
		return 0;
	}
	return -EOPNOTSUPP;
}

static int swpf_param_range(u32 val, u32 min, u32 max, const char *name,
			    struct netlink_ext_ack *extack)
{
	if (val >= min && val <= max)
		return 0;
	NL_SET_ERR_MSG_FMT_MOD(extack, "%s must be %u..%u", name, min, max);
	return -ERANGE;
}

static int swpf_param_validate(struct devlink *devlink, u32 id,
			       union devlink_param_value val,
			       struct netlink_ext_ack *extack)
{
	switch (id) {
	case SWPF_DEVLINK_PARAM_ID_MBX_RATE:
		return swpf_param_range(val.vu32, 1, SWPF_MBX_RATE_MAX,
					"mbx_rate", extack);
	case SWPF_DEVLINK_PARAM_ID_MBX_BURST:
		return swpf_param_range(val.vu32, 1, SWPF_MBX_BURST_MAX,
					"mbx_burst", extack);
	case SWPF_DEVLINK_PARAM_ID_VF_VLAN_QUOTA:
		return swpf_param_range(val.vu32, 0, SWPF_VF_VLAN_QUOTA_MAX,
					"vf_vlan_quota", extack);
	case SWPF_DEVLINK_PARAM_ID_DEFAULT_MAC_FILTERS_MAX:
		return swpf_param_range(val.vu32, 1,
					SWPF_DEFAULT_MAC_FILTERS_MAX,
					"default_mac_filters_max", extack);
	}
	return 0;
}

static const struct devlink_param swpf_devlink_params[] = {
	DEVLINK_PARAM_DRIVER(SWPF_DEVLINK_PARAM_ID_MBX_RATE, "mbx_rate",
			     DEVLINK_PARAM_TYPE_U32,
			     BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     swpf_param_get, swpf_param_set,
			     swpf_param_validate),
	DEVLINK_PARAM_DRIVER(SWPF_DEVLINK_PARAM_ID_MBX_BURST, "mbx_burst",
			     DEVLINK_PARAM_TYPE_U32,
			     BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     swpf_param_get, swpf_param_set,
			     swpf_param_validate),
	DEVLINK_PARAM_DRIVER(SWPF_DEVLINK_PARAM_ID_VF_VLAN_QUOTA,
			     "vf_vlan_quota", DEVLINK_PARAM_TYPE_U32,
			     BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     swpf_param_get, swpf_param_set,
			     swpf_param_validate),
	DEVLINK_PARAM_DRIVER(SWPF_DEVLINK_PARAM_ID_VF_RESET_FAILOVER,
			     "vf_reset_failover", DEVLINK_PARAM_TYPE_BOOL,
			     BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     swpf_param_get, swpf_param_set, NULL),
	DEVLINK_PARAM_DRIVER(SWPF_DEVLINK_PARAM_ID_DEFAULT_MAC_FILTERS_MAX,
			     "default_mac_filters_max", DEVLINK_PARAM_TYPE_U32,
			     BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     swpf_param_get, swpf_param_set,
			     swpf_param_validate),
};

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

/**
 * swpf_devlink_setup - params and health reporters of the instance
 * @pf: the PF, SR-IOV state initialised, instance not registered yet
 *
 * Return: 0, or an error with nothing left to undo.
 */
int swpf_devlink_setup(struct swpf_dev *pf)
{
	int err;

	err = devlink_params_register(pf->devlink, swpf_devlink_params,
				      ARRAY_SIZE(swpf_devlink_params));
	if (err) {
		dev_err(&pf->pdev->dev, "devlink params: %d\n", err);
		return err;
	}
	err = swpf_health_create(pf);
	if (err) {
		devlink_params_unregister(pf->devlink, swpf_devlink_params,
					  ARRAY_SIZE(swpf_devlink_params));
		return err;
	}
	return 0;
}

/*
 * Undo swpf_devlink_setup(): at remove before the SR-IOV state goes (the
 * diagnose callbacks read it), on a probe error before it too.
 */
void swpf_devlink_teardown(struct swpf_dev *pf)
{
	swpf_health_destroy(pf);
	devlink_params_unregister(pf->devlink, swpf_devlink_params,
				  ARRAY_SIZE(swpf_devlink_params));
}

/* the last step of probe: from here on user space may reach the instance */
void swpf_devlink_register(struct swpf_dev *pf)
{
	devlink_register(pf->devlink);
	swpf_health_start(pf);
}

/* after swpf_devlink_teardown() and after the VF ports are gone */
void swpf_devlink_unregister(struct swpf_dev *pf)
{
	devlink_unregister(pf->devlink);
}

void swpf_devlink_free(struct swpf_dev *pf)
{
	devlink_free(pf->devlink);
	pf->devlink = NULL;
}
