// What other folders may use of delivery/.
export { DeliveryModule } from './delivery.module';
export { DELIVERY_SETTINGS } from './delivery.settings';
export type { DeliverySettings } from './delivery.settings';
export {
  claimedDeliveries,
  deliveryInsert,
  deliveryRecords,
  DeliveryRepository,
} from './delivery.repository';
export type { ClaimedDelivery, NewDelivery } from './delivery.repository';
export { DeliveryPoller } from './delivery.poller';
