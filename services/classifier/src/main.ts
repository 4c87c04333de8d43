import { runService } from '@vigil/runtime';
import { classifierService } from './service';

runService(classifierService);
