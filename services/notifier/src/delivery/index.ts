// What other folders may use of delivery/.
export { DeliveryModule } from './delivery.module';
export { DELIVERY_SETTINGS } from './delivery.settings';
export type { DeliverySettings } from './delivery.settings';
export { DeliveryStore } from './delivery.store';
export type { NewDelivery } from './delivery.store';
export { DeliveryWorker } from './delivery.worker';
