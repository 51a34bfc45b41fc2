// SPDX-License-Identifier: GPL-2.0
/* sriov_vf: Intel 82576 VF driver (skeleton). */
#include <linux/module.h>
#include <linux/pci.h>

static const struct pci_device_id swvf_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x10ca) },
	{ }
};
MODULE_DEVICE_TABLE(pci, swvf_pci_tbl);

static int swvf_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	return -ENODEV;
}

static struct pci_driver swvf_driver = {
	.name = "sriov_vf",
	.id_table = swvf_pci_tbl,
	.probe = swvf_probe,
};
module_pci_driver(swvf_driver);

MODULE_DESCRIPTION("Intel 82576 SR-IOV VF driver");
MODULE_LICENSE("GPL");
