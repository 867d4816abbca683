/**
 * Child process for the resume test: trains the MLP of train-loop tests into
 * BHIVE_RESUME_CHILD_DIR and kills itself with SIGKILL right after epoch
 * BHIVE_RESUME_KILL_AFTER is checkpointed. Does nothing without those variables, so the
 * test runner may load it safely.
 */

import { createClassifier } from '../../src/models/registry.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { resumeTrainOptions, resumeModelOptions, resumeLayout } from './resume-setup.js';

const outputDir = process.env.BHIVE_RESUME_CHILD_DIR;
const killAfter = Number(process.env.BHIVE_RESUME_KILL_AFTER);

if (outputDir !== undefined && Number.isInteger(killAfter)) {
  registerBuiltinModels();
  const classifier = await createClassifier('mlp', resumeLayout, resumeModelOptions);
  await classifier.trainModel({
    ...resumeTrainOptions(outputDir),
    onEpoch: (metrics) => {
      if (metrics.epoch === killAfter) process.kill(process.pid, 'SIGKILL');
    },
  });
}
