import { runService } from '@vigil/runtime';
import { correlatorService } from './service';

runService(correlatorService);
