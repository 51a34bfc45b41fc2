// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: Intel 82576 PF driver - PCI binding, probe/remove, module
 * init/exit.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>

#include "swpf.h"

static const struct pci_device_id swpf_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x10c9) },	/* 82576 copper (QEMU igb) */
	{ PCI_VDEVICE(INTEL, 0x10e6) },	/* 82576 fiber */
	{ PCI_VDEVICE(INTEL, 0x10e7) },	/* 82576 serdes */
	{ PCI_VDEVICE(INTEL, 0x10e8) },	/* 82576 quad copper */
	{ PCI_VDEVICE(INTEL, 0x1526) },	/* 82576 quad copper ET2 */
	{ PCI_VDEVICE(INTEL, 0x150a) },	/* 82576 NS */
	{ PCI_VDEVICE(INTEL, 0x1518) },	/* 82576 NS serdes */
	{ PCI_VDEVICE(INTEL, 0x150d) },	/* 82576 serdes quad */
	{ }
};
MODULE_DEVICE_TABLE(pci, swpf_pci_tbl);

static int swpf_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *netdev;
	struct swpf_dev *pf;
	u8 mac[ETH_ALEN];
	char nvm[16];
	int err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;

	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA configuration\n");
		goto err_disable_device;
	}

	err = pci_request_mem_regions(pdev, SWPF_DRV_NAME);
	if (err)
		goto err_disable_device;
	pci_set_master(pdev);

	netdev = alloc_etherdev_mqs(sizeof(*pf), SWPF_NUM_QUEUE_PAIRS,
				    SWPF_NUM_QUEUE_PAIRS);
	if (!netdev) {
		err = -ENOMEM;
		goto err_release_regions;
	}
	SET_NETDEV_DEV(netdev, &pdev->dev);
	pf = netdev_priv(netdev);
	pf->pdev = pdev;
	pf->netdev = netdev;
	pci_set_drvdata(pdev, pf);
	set_bit(SWPF_STATE_DOWN, pf->state);
	spin_lock_init(&pf->stats_lock);
	spin_lock_init(&pf->filter_lock);
	atomic_set(&pf->other_irq_count, 0);
	INIT_WORK(&pf->link_work, swpf_link_work);
	INIT_DELAYED_WORK(&pf->watchdog, swpf_watchdog);
	pf->ims_mask = SWPF_ICR_LSC | SWPF_ICR_DRSTA;
	pf->pf_pool = SWPF_PF_POOL;
	pf->link_speed = SPEED_UNKNOWN;
	pf->link_duplex = DUPLEX_UNKNOWN;

	err = swpf_devlink_alloc(pf);
	if (err)
		goto err_free_netdev;

	pf->bar0 = pci_iomap(pdev, 0, 0);
	if (!pf->bar0) {
		err = -EIO;
		goto err_devlink_free;
	}
	pf->hw_addr = pf->bar0;

	err = swpf_hw_reset(pf);
	if (err) {
		dev_err(&pdev->dev, "reset failed: %d\n", err);
		goto err_iounmap;
	}
	if (swpf_hw_validate_nvm(pf))
		dev_warn(&pdev->dev, "NVM checksum is not valid\n");
	if (swpf_hw_read_nvm(pf, SWPF_NVM_VERSION, &pf->nvm_version))
		pf->nvm_version = 0;
	err = swpf_hw_read_mac(pf, mac);
	if (err == -ENODEV)
		goto err_iounmap;
	if (err) {
		dev_warn(&pdev->dev, "no valid MAC address, using a random one\n");
		eth_hw_addr_random(netdev);
		ether_addr_copy(pf->perm_addr, netdev->dev_addr);
	} else {
		ether_addr_copy(pf->perm_addr, mac);
		eth_hw_addr_set(netdev, mac);
		ether_addr_copy(netdev->perm_addr, mac);
	}

	err = swpf_netdev_init(pf);
	if (err)
		goto err_iounmap;
	swpf_hw_init_filters(pf);

	err = swpf_irq_init(pf);
	if (err)
		goto err_netdev_deinit;
	swpf_irq_configure(pf);

	/* link comes up ~500 ms after this in QEMU (LSC -> link_work) */
	err = swpf_hw_restart_autoneg(pf);
	if (err)
		dev_warn(&pdev->dev, "PHY autonegotiation restart failed: %d\n",
			 err);

	err = swpf_sriov_init(pf);
	if (err)
		goto err_irq_deinit;
	err = swpf_devlink_setup(pf);
	if (err)
		goto err_sriov_deinit;

	netif_carrier_off(netdev);
	err = register_netdev(netdev);
	if (err)
		goto err_devlink_teardown;

	schedule_delayed_work(&pf->watchdog, SWPF_WATCHDOG_PERIOD);
	swpf_devlink_register(pf);
	swpf_hw_nvm_version_str(pf, nvm, sizeof(nvm));
	netdev_info(netdev, "Intel 82576 PF %pM, NVM %s\n", netdev->dev_addr,
		    nvm);
	return 0;

err_devlink_teardown:
	swpf_devlink_teardown(pf);
err_sriov_deinit:
	swpf_sriov_deinit(pf);
err_irq_deinit:
	swpf_irq_deinit(pf);
	disable_work_sync(&pf->link_work);
err_netdev_deinit:
	swpf_netdev_deinit(pf);
err_iounmap:
	pci_iounmap(pdev, pf->bar0);
err_devlink_free:
	swpf_devlink_free(pf);
err_free_netdev:
	free_netdev(netdev);
err_release_regions:
	pci_release_mem_regions(pdev);
err_disable_device:
	pci_disable_device(pdev);
	return err;
}

static void swpf_remove(struct pci_dev *pdev)
{
	struct swpf_dev *pf = pci_get_drvdata(pdev);
	struct net_device *netdev = pf->netdev;

	/* no health report or diagnose from here on: they read sr */
	swpf_devlink_teardown(pf);
	/* VFs first: their drivers may still talk to the mailbox */
	swpf_sriov_deinit(pf);
	/* the VF ports went with the VFs: the instance is empty now */
	swpf_devlink_unregister(pf);
	disable_delayed_work_sync(&pf->watchdog);
	disable_work_sync(&pf->reset_task);
	unregister_netdev(netdev);

	swpf_irq_deinit(pf);
	disable_work_sync(&pf->link_work);
	swpf_netdev_deinit(pf);
	/* hand the device back quiet: no DMA, driver not loaded */
	swpf_hw_set_rx_enable(pf, false);
	swpf_rmw32(pf, SWPF_CTRL_EXT, SWPF_CTRL_EXT_DRV_LOAD, 0);

	WRITE_ONCE(pf->hw_addr, NULL);
	pci_iounmap(pdev, pf->bar0);
	swpf_devlink_free(pf);
	free_netdev(netdev);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

static void swpf_shutdown(struct pci_dev *pdev)
{
	struct swpf_dev *pf = pci_get_drvdata(pdev);

	rtnl_lock();
	netif_device_detach(pf->netdev);
	if (netif_running(pf->netdev))
		swpf_down(pf);
	rtnl_unlock();
	swpf_wr32(pf, SWPF_IMC, ~0U);
	swpf_wr32(pf, SWPF_EIMC, ~0U);
	pci_disable_device(pdev);
}

static struct pci_driver swpf_driver = {
	.name = SWPF_DRV_NAME,
	.id_table = swpf_pci_tbl,
	.probe = swpf_probe,
	.remove = swpf_remove,
	.shutdown = swpf_shutdown,
	.sriov_configure = swpf_sriov_configure,
};

static int __init swpf_init(void)
{
	int err;

	/* the family first: a PF may send events as soon as it probes */
	err = swpf_genl_register();
	if (err)
		return err;
	err = pci_register_driver(&swpf_driver);
	if (err)
		goto err_genl_unregister;
	return 0;

err_genl_unregister:
	swpf_genl_unregister();
	return err;
}
module_init(swpf_init);

static void __exit swpf_exit(void)
{
	pci_unregister_driver(&swpf_driver);
	swpf_genl_unregister();
}
module_exit(swpf_exit);

MODULE_DESCRIPTION("Intel 82576 SR-IOV PF driver and NIC switch");
/**
 * swpf_param_set_range - set an unsigned module parameter within a range
 * @val: the text written to the parameter
 * @kp: the parameter (its arg points at the unsigned int)
 * @min: smallest value accepted
 * @max: largest value accepted
 *
 * Return: 0, or -EINVAL for text that is not a number, -ERANGE for a
 * number outside [@min, @max] (the value is then unchanged).
 */
int swpf_param_set_range(const char *val, const struct kernel_param *kp,
			 unsigned int min, unsigned int max)
{
	unsigned int n;
	int err;

	err = kstrtouint(val, 0, &n);
	if (err)
		return err;
	if (n < min || n > max)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

MODULE_LICENSE("GPL");
