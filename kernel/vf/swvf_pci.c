// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_vf: Intel 82576 SR-IOV virtual function driver.
 *
 * PCI glue: probe/remove, MSI-X vectors, the service task (link, mailbox
 * polling, statistics, reset recovery), PCI reset (FLR) hooks and module
 * init/exit.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "swvf.h"

static const struct pci_device_id swvf_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x10ca) },	/* 82576 VF */
	{ }
};
MODULE_DEVICE_TABLE(pci, swvf_pci_tbl);

void swvf_schedule_service(struct swvf_adapter *adapter)
{
	if (!test_bit(SWVF_REMOVING, adapter->state))
		mod_delayed_work(system_wq, &adapter->service_task, 0);
}

/**
 * swvf_check_gone - detect surprise removal (all-ones reads)
 * @adapter: the VF
 *
 * Return: true if the device no longer responds.  The netdev is detached
 * once; the driver then stops touching the hardware.
 */
bool swvf_check_gone(struct swvf_adapter *adapter)
{
	if (test_bit(SWVF_GONE, adapter->state))
		return true;
	if (swvf_rd32(adapter, SWVF_STATUS) != ~0U)
		return false;
	if (test_and_set_bit(SWVF_GONE, adapter->state))
		return true;
	netdev_err(adapter->netdev, "device not responding, detaching\n");
	clear_bit(SWVF_MBX_READY, adapter->state);
	netif_device_detach(adapter->netdev);
	netif_carrier_off(adapter->netdev);
	return true;
}

/* One V2PMAILBOX read; the work happens in the service task. */
static void swvf_mbx_irq_check(struct swvf_adapter *adapter)
{
	u32 v2p = swvf_mbx_peek(adapter);

	if (v2p != ~0U && (v2p & (SWVF_V2P_PFSTS | SWVF_V2P_RSTI |
				  SWVF_V2P_RSTD)))
		swvf_schedule_service(adapter);
}

static irqreturn_t swvf_msix_tx(int irq, void *data)
{
	struct swvf_adapter *adapter = data;

	adapter->irqs[SWVF_VEC_TX]++;
	/* masked until NAPI is done; EIAC already cleared the cause */
	swvf_wr32(adapter, SWVF_EIMC, BIT(SWVF_VEC_TX));
	napi_schedule(&adapter->napi);
	return IRQ_HANDLED;
}

/*
 * RX vector.  QEMU also delivers the mailbox interrupt here (wrong vector,
 * facts sheet 0.8), so peek at the mailbox too, at most once per jiffy to
 * keep the per-packet cost at zero MMIO reads most of the time; the
 * service task polls once a second anyway.
 */
static irqreturn_t swvf_msix_rx(int irq, void *data)
{
	struct swvf_adapter *adapter = data;
	unsigned long now = jiffies;

	adapter->irqs[SWVF_VEC_RX]++;
	/* while down this vector stays unmasked for QEMU's mailbox irq */
	if (!test_bit(SWVF_DOWN, adapter->state)) {
		swvf_wr32(adapter, SWVF_EIMC, BIT(SWVF_VEC_RX));
		napi_schedule(&adapter->napi);
	}
	if (READ_ONCE(adapter->last_mbx_peek) != now) {
		WRITE_ONCE(adapter->last_mbx_peek, now);
		swvf_mbx_irq_check(adapter);
	}
	return IRQ_HANDLED;
}

/* Mailbox vector as programmed in IVAR_MISC (fires on silicon). */
static irqreturn_t swvf_msix_mbx(int irq, void *data)
{
	struct swvf_adapter *adapter = data;

	adapter->irqs[SWVF_VEC_MBX]++;
	swvf_mbx_irq_check(adapter);
	return IRQ_HANDLED;
}

/*
 * A PF-initiated VF reset (PF writes the VF's CTRL.RST, or an FLR the PF
 * triggers) disables our queues without necessarily telling us through
 * the mailbox.  Two register reads a second catch it before the stack's
 * TX watchdog does.
 */
static void swvf_check_queues(struct swvf_adapter *adapter)
{
	u32 rxdctl, txdctl;

	if (test_bit(SWVF_DOWN, adapter->state) ||
	    test_bit(SWVF_NEED_RESET, adapter->state))
		return;
	rxdctl = swvf_rd32(adapter, SWVF_RXDCTL(0));
	txdctl = swvf_rd32(adapter, SWVF_TXDCTL(0));
	if ((rxdctl & SWVF_RXDCTL_ENABLE) && (txdctl & SWVF_TXDCTL_ENABLE))
		return;
	netdev_info(adapter->netdev,
		    "queues disabled behind our back (VF reset by the PF)\n");
	clear_bit(SWVF_MBX_READY, adapter->state);
	set_bit(SWVF_NEED_RESET, adapter->state);
}

static void swvf_service_task(struct work_struct *work)
{
	struct swvf_adapter *adapter = container_of(to_delayed_work(work),
						    struct swvf_adapter,
						    service_task);
	struct net_device *netdev = adapter->netdev;

	if (test_bit(SWVF_REMOVING, adapter->state))
		return;
	/* never block on RTNL: close/remove may hold it and wait for us */
	if (!rtnl_trylock()) {
		mod_delayed_work(system_wq, &adapter->service_task, HZ / 50);
		return;
	}
	if (test_bit(SWVF_RESETTING, adapter->state) ||
	    swvf_check_gone(adapter))
		goto unlock;

	swvf_mbx_poll_events(adapter);
	swvf_check_queues(adapter);
	if (test_bit(SWVF_NEED_RESET, adapter->state) &&
	    time_after_eq(jiffies, adapter->last_reset_try + SWVF_RESET_RETRY))
		swvf_reinit(adapter);
	if (test_bit(SWVF_RX_MODE, adapter->state) &&
	    test_bit(SWVF_MBX_READY, adapter->state))
		swvf_sync_rx_mode(adapter);
	if (netif_running(netdev))
		swvf_update_link(adapter);
	swvf_update_hw_stats(adapter);

	if (!test_bit(SWVF_REMOVING, adapter->state))
		queue_delayed_work(system_wq, &adapter->service_task,
				   test_bit(SWVF_NEED_RESET, adapter->state) ?
				   SWVF_RESET_RETRY : SWVF_SERVICE_PERIOD);
unlock:
	rtnl_unlock();
}

static int swvf_request_irqs(struct swvf_adapter *adapter)
{
	struct pci_dev *pdev = adapter->pdev;
	static const char * const suffix[SWVF_NUM_VECTORS] = {
		"tx", "rx", "mbx",
	};
	static const irq_handler_t handler[SWVF_NUM_VECTORS] = {
		swvf_msix_tx, swvf_msix_rx, swvf_msix_mbx,
	};
	int v, err;

	for (v = 0; v < SWVF_NUM_VECTORS; v++) {
		snprintf(adapter->irq_name[v], sizeof(adapter->irq_name[v]),
			 "%s-%s-%s", SWVF_DRV_NAME, pci_name(pdev), suffix[v]);
		err = request_irq(pci_irq_vector(pdev, v), handler[v], 0,
				  adapter->irq_name[v], adapter);
		if (err)
			goto err_free;
	}
	return 0;

err_free:
	while (--v >= 0)
		free_irq(pci_irq_vector(pdev, v), adapter);
	return err;
}

static void swvf_free_irqs(struct swvf_adapter *adapter)
{
	int v;

	for (v = SWVF_NUM_VECTORS - 1; v >= 0; v--)
		free_irq(pci_irq_vector(adapter->pdev, v), adapter);
}

/* Handshake at probe, bounded retries; without the PF we go on. */
static void swvf_probe_handshake(struct swvf_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	unsigned int try;
	int err = 0;

	rtnl_lock();
	for (try = 0; try < SWVF_PROBE_TRIES; try++) {
		if (try)
			msleep(100);
		err = swvf_reinit(adapter);
		if (!err || err == -ENODEV)
			break;
	}
	rtnl_unlock();
	if (err)
		dev_warn(&adapter->pdev->dev,
			 "PF not ready (%d), will keep retrying\n", err);
	if (!is_valid_ether_addr(netdev->dev_addr)) {
		eth_hw_addr_random(netdev);
		dev_info(&adapter->pdev->dev,
			 "no MAC from the PF yet, using random %pM\n",
			 netdev->dev_addr);
	}
}

static int swvf_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct swvf_adapter *adapter;
	struct net_device *netdev;
	int err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA configuration\n");
		goto err_disable_device;
	}
	err = pci_request_mem_regions(pdev, SWVF_DRV_NAME);
	if (err)
		goto err_disable_device;
	pci_set_master(pdev);

	netdev = alloc_etherdev(sizeof(*adapter));
	if (!netdev) {
		err = -ENOMEM;
		goto err_release_regions;
	}
	SET_NETDEV_DEV(netdev, &pdev->dev);
	pci_set_drvdata(pdev, netdev);
	adapter = netdev_priv(netdev);
	adapter->netdev = netdev;
	adapter->pdev = pdev;
	adapter->tx_ring_count = SWVF_DEFAULT_RING_SIZE;
	adapter->rx_ring_count = SWVF_DEFAULT_RING_SIZE;
	adapter->rx_itr_usecs = SWVF_DEFAULT_RX_ITR_US;
	adapter->tx_itr_usecs = SWVF_DEFAULT_TX_ITR_US;
	set_bit(SWVF_DOWN, adapter->state);
	/* no service task before the netdev is registered */
	set_bit(SWVF_REMOVING, adapter->state);
	swvf_mbx_init(adapter);
	spin_lock_init(&adapter->stats_lock);
	INIT_DELAYED_WORK(&adapter->service_task, swvf_service_task);

	adapter->hw_addr = pci_iomap(pdev, 0, 0);
	if (!adapter->hw_addr) {
		err = -EIO;
		goto err_free_netdev;
	}

	err = pci_alloc_irq_vectors(pdev, SWVF_NUM_VECTORS, SWVF_NUM_VECTORS,
				    PCI_IRQ_MSIX);
	if (err < 0) {
		dev_err(&pdev->dev, "cannot get %d MSI-X vectors: %d\n",
			SWVF_NUM_VECTORS, err);
		goto err_iounmap;
	}
	/* nothing may interrupt before the handlers exist */
	swvf_wr32(adapter, SWVF_EIMC, ~0U);
	err = swvf_request_irqs(adapter);
	if (err)
		goto err_free_vectors;

	netdev->netdev_ops = &swvf_netdev_ops;
	swvf_set_ethtool_ops(netdev);
	netdev->watchdog_timeo = 5 * HZ;
	netif_napi_add(netdev, &adapter->napi, swvf_poll);
	netdev->sysfs_groups[0] = &swvf_sriov_group;
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_TSO | NETIF_F_TSO6 |
			      NETIF_F_RXCSUM | NETIF_F_HW_VLAN_CTAG_TX;
	netdev->features = netdev->hw_features | NETIF_F_HW_VLAN_CTAG_RX |
			   NETIF_F_HW_VLAN_CTAG_FILTER;
	netdev->vlan_features = NETIF_F_SG | NETIF_F_IP_CSUM |
				NETIF_F_IPV6_CSUM | NETIF_F_TSO | NETIF_F_TSO6;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = SWVF_MAX_MTU;

	/* mailbox interrupts first: the handshake may need them */
	swvf_configure_msix(adapter);
	swvf_wr32(adapter, SWVF_EIMC, BIT(SWVF_VEC_TX));
	swvf_probe_handshake(adapter);
	swvf_baseline_hw_stats(adapter);

	strscpy(netdev->name, "eth%d", sizeof(netdev->name));
	err = register_netdev(netdev);
	if (err)
		goto err_napi_del;
	netif_carrier_off(netdev);
	clear_bit(SWVF_REMOVING, adapter->state);
	queue_delayed_work(system_wq, &adapter->service_task,
			   SWVF_SERVICE_PERIOD);
	swvf_fault_add(adapter);
	netdev_info(netdev, "Intel 82576 VF %s, MAC %pM\n", pci_name(pdev),
		    netdev->dev_addr);
	return 0;

err_napi_del:
	netif_napi_del(&adapter->napi);
	swvf_wr32(adapter, SWVF_EIMC, ~0U);
	swvf_free_irqs(adapter);
err_free_vectors:
	pci_free_irq_vectors(pdev);
err_iounmap:
	pci_iounmap(pdev, adapter->hw_addr);
err_free_netdev:
	free_netdev(netdev);
err_release_regions:
	pci_release_mem_regions(pdev);
err_disable_device:
	pci_disable_device(pdev);
	return err;
}

static void swvf_remove(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct swvf_adapter *adapter = netdev_priv(netdev);

	swvf_fault_del(adapter);
	set_bit(SWVF_REMOVING, adapter->state);
	/* first, while we still receive: the PF takes over our filters */
	swvf_going_down(adapter);
	cancel_delayed_work_sync(&adapter->service_task);
	unregister_netdev(netdev);
	netif_napi_del(&adapter->napi);
	if (!swvf_check_gone(adapter)) {
		swvf_wr32(adapter, SWVF_EIMC, ~0U);
		/*
		 * Leave the function reset, as igbvf does: the PF sees the VF
		 * go (a VFLR on QEMU) and stops steering its MAC to queues
		 * nobody serves any more.
		 */
		swvf_wr32(adapter, SWVF_CTRL, SWVF_CTRL_RST);
		swvf_flush(adapter);
	}
	swvf_free_irqs(adapter);
	pci_free_irq_vectors(pdev);
	pci_iounmap(pdev, adapter->hw_addr);
	free_netdev(netdev);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

static void swvf_shutdown(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct swvf_adapter *adapter = netdev_priv(netdev);

	set_bit(SWVF_REMOVING, adapter->state);
	cancel_delayed_work_sync(&adapter->service_task);
	rtnl_lock();
	netif_device_detach(netdev);
	if (netif_running(netdev))
		swvf_down(adapter);
	rtnl_unlock();
	pci_disable_device(pdev);
}

/* FLR through sysfs "reset" or a hypervisor: quiesce, then start over. */
static void swvf_reset_prepare(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct swvf_adapter *adapter = netdev_priv(netdev);

	swvf_going_down(adapter);
	rtnl_lock();
	set_bit(SWVF_RESETTING, adapter->state);
	netif_device_detach(netdev);
	if (netif_running(netdev))
		swvf_down(adapter);
	clear_bit(SWVF_MBX_READY, adapter->state);
	rtnl_unlock();
}

static void swvf_reset_done(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct swvf_adapter *adapter = netdev_priv(netdev);

	rtnl_lock();
	clear_bit(SWVF_RESETTING, adapter->state);
	/* the FLR wiped IVAR/EITR/masks; MSI-X itself was restored by PCI */
	swvf_configure_msix(adapter);
	swvf_wr32(adapter, SWVF_EIMC, BIT(SWVF_VEC_TX));
	netif_device_attach(netdev);
	swvf_reinit(adapter);	/* on failure the service task retries */
	rtnl_unlock();
	swvf_schedule_service(adapter);
}

static const struct pci_error_handlers swvf_err_handlers = {
	.reset_prepare	= swvf_reset_prepare,
	.reset_done	= swvf_reset_done,
};

static struct pci_driver swvf_driver = {
	.name		= SWVF_DRV_NAME,
	.id_table	= swvf_pci_tbl,
	.probe		= swvf_probe,
	.remove		= swvf_remove,
	.shutdown	= swvf_shutdown,
	.err_handler	= &swvf_err_handlers,
};
module_pci_driver(swvf_driver);

MODULE_DESCRIPTION("Intel 82576 SR-IOV VF driver");
MODULE_LICENSE("GPL");
