/** The values a delivery filter takes, pure so the console's client code shares them. */
export const DELIVERY_STATUSES = ["PENDING", "RETRYING", "SUCCEEDED", "DEAD"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** HTTP status classes of the last attempt; "none" = no HTTP answer (timeout, connect error) or no attempt yet. */
export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx", "none"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
