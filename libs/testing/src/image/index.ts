export {
  type BuildStep,
  type DockerfilePlan,
  DockerfileError,
  type ImageConfig,
  type ImageUser,
  planDockerfile,
  type PlanOptions,
  type SkippedStep,
  type StagePlan,
} from './dockerfile-plan';
export {
  type BuildImageOptions,
  buildImageFromDockerfile,
  defaultHostEnv,
  type ImageBuild,
  imageCommand,
  imagePath,
  imageSearchPath,
  type ImageTarget,
} from './image-build';
export {
  imageProcess,
  type ImageProcessOptions,
  type ImageRun,
  runImageCommand,
  startImageProcess,
} from './image-process';
