// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_pf: MSI-X.  Vector 0 ("other") carries the ICR causes (link state
 * change; the VF mailbox/VFLR cause ICR.VMMB is added by SR-IOV) and stays
 * requested for the whole lifetime of the PCI binding, so link and mailbox
 * events are served while the net device is down.  Vectors 1.. serve one
 * TX/RX queue pair each and are requested while the interface is up.
 *
 * The PF only touches its own EICR/EIMS/EIMC/EIAC bits (0..num_vectors-1);
 * VF bits live in the same registers.  With N VFs QEMU leaves the PF EICR
 * bits 0..min(9, 24 - 3N), so the PF keeps its vector count small.
 */
#include <linux/interrupt.h>
#include <linux/iopoll.h>

#include "swpf.h"

static u32 swpf_pf_eims_mask(const struct swpf_dev *pf)
{
	return GENMASK(pf->num_vectors - 1, 0);
}

/* route RX or TX of hardware queue @queue to @vector (negative: none) */
static void swpf_set_ivar(struct swpf_dev *pf, u8 queue, bool rx, int vector)
{
	unsigned int shift = (queue < 8 ? 0 : 16) + (rx ? 0 : 8);
	u32 byte = vector < 0 ? 0 :
		   FIELD_PREP(SWPF_IVAR_VECTOR, vector) | SWPF_IVAR_VALID;

	swpf_rmw32(pf, SWPF_IVAR(queue & 7), 0xffU << shift, byte << shift);
}

static irqreturn_t swpf_other_irq(int irq, void *data)
{
	struct swpf_dev *pf = data;
	u32 icr;

	/* GPIE.NSICR: reading ICR clears it, so the next cause re-triggers */
	icr = swpf_rd32(pf, SWPF_ICR);
	if (icr == ~0U)
		return IRQ_HANDLED;	/* device gone */
	atomic_inc(&pf->other_irq_count);

	if (icr & SWPF_ICR_LSC)
		schedule_work(&pf->link_work);

	/*
	 * SR-IOV (issue 4): ICR.VMMB signals VF mailbox requests/acks and VF
	 * function-level resets; its handler is called from here.
	 */

	if (icr & SWPF_ICR_DRSTA)
		dev_warn_ratelimited(&pf->pdev->dev, "device reset asserted\n");

	/* EICR bit auto-cleared through EIAC; EIMS for "other" stays set */
	return IRQ_HANDLED;
}

static irqreturn_t swpf_queue_irq(int irq, void *data)
{
	struct swpf_q_vector *qv = data;

	/* QEMU's EIAM is broken: mask by hand until NAPI is done */
	swpf_wr32(qv->pf, SWPF_EIMC, qv->eims);
	napi_schedule_irqoff(&qv->napi);
	return IRQ_HANDLED;
}

/* probe: MSI-X vectors and the "other" interrupt */
int swpf_irq_init(struct swpf_dev *pf)
{
	struct pci_dev *pdev = pf->pdev;
	int i, nvec, err;

	nvec = pci_alloc_irq_vectors(pdev, SWPF_NUM_VECTORS, SWPF_NUM_VECTORS,
				     PCI_IRQ_MSIX);
	if (nvec < 0) {
		dev_err(&pdev->dev, "MSI-X with %d vectors unavailable: %d\n",
			SWPF_NUM_VECTORS, nvec);
		return nvec;
	}
	pf->num_vectors = nvec;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		struct swpf_q_vector *qv = &pf->q_vector[i];

		qv->pf = pf;
		qv->v_idx = SWPF_FIRST_Q_VECTOR + i;
		qv->eims = BIT(qv->v_idx);
		qv->tx_ring = &pf->tx_ring[i];
		qv->rx_ring = &pf->rx_ring[i];
		pf->tx_ring[i].q_vector = qv;
		pf->rx_ring[i].q_vector = qv;
	}

	snprintf(pf->other_name, sizeof(pf->other_name), "%s-other",
		 pci_name(pdev));
	err = request_irq(pci_irq_vector(pdev, SWPF_OTHER_VECTOR),
			  swpf_other_irq, 0, pf->other_name, pf);
	if (err)
		goto err_free_vectors;
	return 0;

err_free_vectors:
	pci_free_irq_vectors(pdev);
	return err;
}

void swpf_irq_deinit(struct swpf_dev *pf)
{
	swpf_wr32(pf, SWPF_EIMC, BIT(SWPF_OTHER_VECTOR));
	swpf_wr32(pf, SWPF_IMC, ~0U);
	free_irq(pci_irq_vector(pf->pdev, SWPF_OTHER_VECTOR), pf);
	pci_free_irq_vectors(pf->pdev);
}

/* ndo_open: one IRQ per queue vector */
int swpf_irq_request_queues(struct swpf_dev *pf)
{
	int i, err;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		struct swpf_q_vector *qv = &pf->q_vector[i];

		snprintf(qv->name, sizeof(qv->name), "%s-TxRx-%d",
			 pf->netdev->name, i);
		err = request_irq(pci_irq_vector(pf->pdev, qv->v_idx),
				  swpf_queue_irq, 0, qv->name, qv);
		if (err)
			goto err_free_queue_irqs;
	}
	return 0;

err_free_queue_irqs:
	while (--i >= 0)
		free_irq(pci_irq_vector(pf->pdev, pf->q_vector[i].v_idx),
			 &pf->q_vector[i]);
	return err;
}

void swpf_irq_free_queues(struct swpf_dev *pf)
{
	int i;

	for (i = SWPF_NUM_QUEUE_PAIRS - 1; i >= 0; i--)
		free_irq(pci_irq_vector(pf->pdev, pf->q_vector[i].v_idx),
			 &pf->q_vector[i]);
}

/* after every device reset: MSI-X mode and the "other" vector */
void swpf_irq_configure(struct swpf_dev *pf)
{
	u32 other = FIELD_PREP(SWPF_IVAR_VECTOR, SWPF_OTHER_VECTOR) |
		    SWPF_IVAR_VALID;

	swpf_wr32(pf, SWPF_GPIE, SWPF_GPIE_MSIX_MODE | SWPF_GPIE_NSICR |
		  SWPF_GPIE_EIAME | SWPF_GPIE_PBA);
	/* byte 1: other causes; byte 0: DRSTA (QEMU routes it separately) */
	swpf_wr32(pf, SWPF_IVAR_MISC, other << 8 | other);
	swpf_wr32(pf, SWPF_EITR(SWPF_OTHER_VECTOR), 0);
	swpf_wr32(pf, SWPF_IAM, 0);
	swpf_rmw32(pf, SWPF_EIAC, 0, swpf_pf_eims_mask(pf));
	swpf_rd32(pf, SWPF_ICR);
	swpf_wr32(pf, SWPF_IMS, pf->ims_mask);
	swpf_wr32(pf, SWPF_EIMS, BIT(SWPF_OTHER_VECTOR));
}

void swpf_irq_write_itr(struct swpf_dev *pf)
{
	int i;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++)
		swpf_wr32(pf, SWPF_EITR(pf->q_vector[i].v_idx),
			  FIELD_PREP(SWPF_EITR_INTERVAL, pf->eitr) |
			  SWPF_EITR_CNT_IGNR);
}

/* ndo_open: route the PF's queues to their vectors and unmask them */
void swpf_irq_enable(struct swpf_dev *pf)
{
	u32 eims = 0;
	int i;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		struct swpf_q_vector *qv = &pf->q_vector[i];

		swpf_set_ivar(pf, qv->rx_ring->reg_idx, true, qv->v_idx);
		swpf_set_ivar(pf, qv->tx_ring->reg_idx, false, qv->v_idx);
		eims |= qv->eims;
	}
	swpf_irq_write_itr(pf);
	swpf_rmw32(pf, SWPF_EIAC, 0, eims);
	swpf_wr32(pf, SWPF_EIMS, eims);
}

void swpf_irq_disable_queues(struct swpf_dev *pf)
{
	int i;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++)
		swpf_wr32(pf, SWPF_EIMC, pf->q_vector[i].eims);
	swpf_wrfl(pf);
	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++)
		synchronize_irq(pci_irq_vector(pf->pdev,
					       pf->q_vector[i].v_idx));
}

/* forget the queue -> vector routing (before the pool changes) */
void swpf_irq_unconfigure_queues(struct swpf_dev *pf)
{
	int i;

	for (i = 0; i < SWPF_NUM_QUEUE_PAIRS; i++) {
		swpf_set_ivar(pf, pf->rx_ring[i].reg_idx, true, -1);
		swpf_set_ivar(pf, pf->tx_ring[i].reg_idx, false, -1);
	}
}

/*
 * Self-test: raise the "other" vector twice - once through EICS directly,
 * once through an ICR cause (ICS.LSC) routed by IVAR_MISC - and check that
 * the handler ran each time.
 */
int swpf_irq_test(struct swpf_dev *pf, u64 *data)
{
	static const struct {
		u32 reg;
		u32 val;
	} triggers[] = {
		{ SWPF_EICS, BIT(SWPF_OTHER_VECTOR) },
		{ SWPF_ICS, SWPF_ICR_LSC },
	};
	unsigned int i;
	int cnt, err = 0;

	for (i = 0; i < ARRAY_SIZE(triggers) && !err; i++) {
		int before = atomic_read(&pf->other_irq_count);

		swpf_wr32(pf, triggers[i].reg, triggers[i].val);
		err = read_poll_timeout(atomic_read, cnt, cnt != before,
					1000, 200000, false,
					&pf->other_irq_count);
		if (err)
			dev_err(&pf->pdev->dev,
				"interrupt test: no interrupt after 0x%05x write\n",
				triggers[i].reg);
	}
	*data = err ? 1 : 0;
	return err;
}
