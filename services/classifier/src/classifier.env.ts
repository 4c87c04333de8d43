import { BaseEnv, SERVICE_PORTS } from '@vigil/config';

export class ClassifierEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.classifier;
}
