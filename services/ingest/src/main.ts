import { runService } from '@vigil/runtime';
import { ingestService } from './service';

runService(ingestService);
