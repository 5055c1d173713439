import type { Likeness } from './composition.ts';
import { PROJECT_ROOT } from './config.ts';
import { mergeModelConfig } from './engines/face/create-face-engine.ts';
import { defaultFaceModelConfig } from './engines/face/model-config.ts';
import { EngineSelfieAnalyser } from './engines/liveness/engine-selfie-analyser.ts';
import type { LivenessDetector } from './engines/liveness/liveness-detector.ts';
import { OnnxLivenessDetector } from './engines/liveness/onnx-liveness.ts';
import { loadFmrTable } from './repositories/files/fmr-table-file.ts';
import { ErasureService } from './services/erasure/erasure-service.ts';
import { systemClock, type Clock } from './services/ports/clock.ts';
import { randomIds, type IdGenerator } from './services/ports/ids.ts';
import { systemRandom } from './services/ports/random-bytes.ts';
import type { SelfieAnalyser } from './services/ports/selfie-analyser.ts';
import { RetentionService } from './services/retention/retention-service.ts';
import { strictThreshold, type StrictThreshold } from './services/scores/strict-threshold.ts';
import { AccessReportBuilder } from './services/subjects/access-report.ts';
import { RecordsOfProcessingService } from './services/subjects/records-of-processing.ts';
import { SubjectIntake } from './services/subjects/subject-intake.ts';
import { SubjectMatcher } from './services/subjects/subject-matcher.ts';
import { SubjectRequestService } from './services/subjects/subject-requests.ts';

/** The liveness class score at which a selfie passes; below it the DPO must state why they approve. */
export const LIVENESS_THRESHOLD = 0.5;

/** The services behind the rights of the people in the galleries (issue 5), over an opened likeness. */
export interface Rights {
  intake: SubjectIntake;
  requests: SubjectRequestService;
  erasure: ErasureService;
  retention: RetentionService;
  records: RecordsOfProcessingService;
  strict: StrictThreshold;
  close(): Promise<void>;
}

export interface RightsOptions {
  clock?: Clock;
  ids?: IdGenerator;
  /** Replaces the models' selfie analysis, e.g. in tests with a fake engine. */
  selfies?: SelfieAnalyser;
}

export function openRights(likeness: Likeness, options: RightsOptions = {}): Rights {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const { store, config } = likeness;
  const modelId = mergeModelConfig(defaultFaceModelConfig(PROJECT_ROOT), config.models).modelId;
  const strict = strictThreshold(loadFmrTable(modelId));
  let liveness: Promise<LivenessDetector> | undefined;
  const selfies = options.selfies ?? new EngineSelfieAnalyser(likeness.engine, () => (liveness ??= OnnxLivenessDetector.open()),
    { maxBytes: config.limits.maxImageBytes, maxPixels: config.limits.maxPixels });
  const erasure = new ErasureService(store, likeness.faces, likeness.audit, likeness.compaction, clock, ids);
  const requests = new SubjectRequestService(store, new SubjectMatcher(store, likeness.indexes), new AccessReportBuilder(store, config.retention.maxDays),
    erasure, likeness.suppression, likeness.audit, strict, clock, ids);
  return {
    intake: new SubjectIntake(store, selfies, likeness.audit, { livenessThreshold: LIVENESS_THRESHOLD, documentThreshold: config.search.threshold }, clock, ids, systemRandom),
    requests,
    erasure,
    retention: new RetentionService(store, erasure, clock, config.retention.maxDays),
    records: new RecordsOfProcessingService(store, clock, config.retention.maxDays),
    strict,
    close: async () => {
      if (liveness) await (await liveness).close();
    },
  };
}
