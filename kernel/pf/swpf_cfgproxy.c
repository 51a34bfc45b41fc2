// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: VF config-space proxy.  The netlink family reads and writes a
 * VF's PCI config space through the PF driver.  Reads may cover any range
 * of the 4 KiB space.  Writes are 1, 2 or 4 bytes, naturally aligned, and
 * only to an allow-list: no BARs or expansion ROM, nothing in the MSI-X or
 * SR-IOV capability, no change of memory decoding or bus mastering while a
 * driver is bound to the VF, no FLR through Device Control (vf-reset does
 * that).  Every accepted write is announced on the "events" group.
 */
#include <linux/pci.h>
#include <linux/unaligned.h>

#include "swpf.h"
#include "swpf_sriov.h"

int swpf_cfg_read(struct swpf_vf *vf, u32 off, u32 len, u8 *buf,
		  struct netlink_ext_ack *extack)
{
	struct pci_dev *vfdev = vf->pdev;
	u32 pos;
	int err;

	if (!vfdev) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u has no PCI function", vf->idx);
		return -ENODEV;
	}
	if (off >= SRIOV_CFG_SPACE_SIZE || len > SRIOV_CFG_SPACE_SIZE - off) {
		NL_SET_ERR_MSG_FMT(extack, "range 0x%x+%u is outside the 4096-byte config space",
				   off, len);
		return -ERANGE;
	}
	for (pos = off; pos < off + len;) {
		if (!(pos & 3) && off + len - pos >= 4) {
			u32 v;

			err = pci_read_config_dword(vfdev, pos, &v);
			put_unaligned_le32(v, buf + pos - off);
			pos += 4;
		} else {
			u8 v;

			err = pci_read_config_byte(vfdev, pos, &v);
			buf[pos - off] = v;
			pos += 1;
		}
		if (err) {
			NL_SET_ERR_MSG_FMT(extack, "config read at 0x%x failed", pos);
			return pcibios_err_to_errno(err);
		}
	}
	return 0;
}

struct swpf_cfg_rule {
	u16 off;		/* relative to the capability (or 0) */
	u8 len;			/* exact access length allowed */
	u16 keep;		/* bits that must not change (16-bit regs) */
	bool keep_if_bound;	/* @keep applies only with a driver bound */
};

/* type 0 header */
static const struct swpf_cfg_rule swpf_cfg_hdr[] = {
	{ PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, true },
	{ PCI_STATUS, 2, 0, false },		/* RW1C error bits */
	{ PCI_CACHE_LINE_SIZE, 1, 0, false },
	{ PCI_LATENCY_TIMER, 1, 0, false },
	{ PCI_INTERRUPT_LINE, 1, 0, false },
};

/* PCI Express capability */
static const struct swpf_cfg_rule swpf_cfg_exp[] = {
	{ PCI_EXP_DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR, false },
	{ PCI_EXP_DEVSTA, 2, 0, false },	/* RW1C */
	{ PCI_EXP_DEVCTL2, 2, 0, false },
};

/* AER extended capability: status (RW1C) and masks */
static const struct swpf_cfg_rule swpf_cfg_aer[] = {
	{ PCI_ERR_UNCOR_STATUS, 4, 0, false },
	{ PCI_ERR_UNCOR_MASK, 4, 0, false },
	{ PCI_ERR_COR_STATUS, 4, 0, false },
	{ PCI_ERR_COR_MASK, 4, 0, false },
};

static const struct swpf_cfg_rule *
swpf_cfg_match(const struct swpf_cfg_rule *rules, unsigned int n, u32 base,
	       u32 off, u32 len)
{
	unsigned int i;

	if (off < base)
		return NULL;
	for (i = 0; i < n; i++)
		if (rules[i].off == off - base && rules[i].len == len)
			return &rules[i];
	return NULL;
}

static const char *swpf_cfg_region(struct pci_dev *vfdev, u32 off)
{
	u8 msix = vfdev->msix_cap;

	if (off >= PCI_BASE_ADDRESS_0 && off <= PCI_BASE_ADDRESS_5 + 3)
		return "a BAR";
	if (off >= PCI_ROM_ADDRESS && off < PCI_ROM_ADDRESS + 4)
		return "the expansion ROM BAR";
	if (msix && off >= msix && off < msix + PCI_CAP_MSIX_SIZEOF)
		return "the MSI-X capability";
	if (off < PCI_STD_HEADER_SIZEOF)
		return "a read-only or reserved header register";
	return "not on the allow-list";
}

int swpf_cfg_write(struct swpf_vf *vf, u32 off, u32 len, u32 val,
		   struct netlink_ext_ack *extack)
{
	const struct swpf_cfg_rule *rule;
	struct pci_dev *vfdev = vf->pdev;
	u16 cap;
	int err;

	if (!vfdev) {
		NL_SET_ERR_MSG_FMT(extack, "VF %u has no PCI function", vf->idx);
		return -ENODEV;
	}
	if (len != 1 && len != 2 && len != 4) {
		NL_SET_ERR_MSG(extack, "config writes are 1, 2 or 4 bytes");
		return -EINVAL;
	}
	if (off & (len - 1)) {
		NL_SET_ERR_MSG_FMT(extack, "offset 0x%x is not aligned to the %u-byte write",
				   off, len);
		return -EINVAL;
	}
	if (len < 4 && val >> (8 * len)) {
		NL_SET_ERR_MSG_FMT(extack, "value 0x%x does not fit in %u bytes",
				   val, len);
		return -ERANGE;
	}

	rule = swpf_cfg_match(swpf_cfg_hdr, ARRAY_SIZE(swpf_cfg_hdr), 0, off,
			      len);
	cap = pci_find_capability(vfdev, PCI_CAP_ID_EXP);
	if (!rule && cap)
		rule = swpf_cfg_match(swpf_cfg_exp, ARRAY_SIZE(swpf_cfg_exp),
				      cap, off, len);
	cap = pci_find_ext_capability(vfdev, PCI_EXT_CAP_ID_ERR);
	if (!rule && cap)
		rule = swpf_cfg_match(swpf_cfg_aer, ARRAY_SIZE(swpf_cfg_aer),
				      cap, off, len);
	if (!rule) {
		NL_SET_ERR_MSG_FMT(extack,
				   "offset 0x%x (%u bytes) is %s: not writable through the proxy",
				   off, len, swpf_cfg_region(vfdev, off));
		return -EPERM;
	}
	if (rule->keep && (!rule->keep_if_bound || vfdev->driver)) {
		u16 cur;

		err = pci_read_config_word(vfdev, off, &cur);
		if (err)
			return pcibios_err_to_errno(err);
		if ((cur ^ val) & rule->keep) {
			NL_SET_ERR_MSG_FMT(extack, "bits 0x%x at offset 0x%x may not change%s",
					   rule->keep, off,
					   rule->keep_if_bound ?
					   " while a driver is bound to the VF" : "");
			return -EPERM;
		}
	}

	if (len == 1)
		err = pci_write_config_byte(vfdev, off, val);
	else if (len == 2)
		err = pci_write_config_word(vfdev, off, val);
	else
		err = pci_write_config_dword(vfdev, off, val);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "config write at 0x%x failed", off);
		return pcibios_err_to_errno(err);
	}
	swpf_ntf_cfg_write(vf, off, len, val);
	return 0;
}
