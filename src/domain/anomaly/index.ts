export type { AmountThreshold, AnomalyConfig, AnomalyConfigInput } from './anomaly-config';
export { DEFAULT_ANOMALY_CONFIG, anomalyConfig, thresholdMinor } from './anomaly-config';
export type { AnomalyFacts } from './anomaly-facts';
export type { AnomalyCode, AnomalyRule } from './anomaly-rules';
export { ANOMALY, ANOMALY_RULES, evaluateAnomalies, hasHighSeverity } from './anomaly-rules';
export { blockingBeforeSubmit, holdForTreasurer, isHeldForTreasurer } from './hold';
export { anomalyMessages, warningText } from './anomaly.messages';
