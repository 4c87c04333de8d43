import { runService } from '@vigil/runtime';
import { notifierService } from './service';

runService(notifierService);
