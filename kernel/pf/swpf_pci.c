// SPDX-License-Identifier: GPL-2.0
/* sriov_pf: Intel 82576 PF driver and NIC switch (skeleton). */
#include <linux/module.h>
#include <linux/pci.h>

static const struct pci_device_id swpf_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x10c9) },
	{ }
};
MODULE_DEVICE_TABLE(pci, swpf_pci_tbl);

static int swpf_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	return -ENODEV;
}

static struct pci_driver swpf_driver = {
	.name = "sriov_pf",
	.id_table = swpf_pci_tbl,
	.probe = swpf_probe,
};
module_pci_driver(swpf_driver);

MODULE_DESCRIPTION("Intel 82576 SR-IOV PF driver and NIC switch");
MODULE_LICENSE("GPL");
