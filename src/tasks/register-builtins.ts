/** The built-in tasks of the bhive chain, registered explicitly. */
import { datasetConstruction } from './builtin/dataset-construction.js';
import { exportTask } from './builtin/export.js';
import { inference } from './builtin/inference.js';
import { inputPlots } from './builtin/input-plots.js';
import { report } from './builtin/report.js';
import { rocCurve } from './builtin/roc-curve.js';
import { training } from './builtin/training.js';
import { workingPoint } from './builtin/working-point.js';
import { deepJetWorkflow } from './builtin/workflows.js';
import { TaskRegistry } from './registry.js';

/** Return a registry holding the chain's tasks and the DeepJetWorkflow preset. */
export function createTaskRegistry(): TaskRegistry {
  const registry = new TaskRegistry();
  for (const task of [datasetConstruction, inputPlots, training, inference, rocCurve, workingPoint, report, exportTask, deepJetWorkflow]) registry.register(task);
  return registry;
}
