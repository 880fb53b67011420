/** Evaluation scores: continuous, categorical (flood maps) and skill against references. */
export { regressionScores, type Mask, type RegressionScores } from './regression';
export { addContingency, contingency, csi, far, pod, type Contingency } from './contingency';
export { climatology, persistence, skillScore } from './skill';
