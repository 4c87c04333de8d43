import { runService } from '@vigil/runtime';
import { queryService } from './service';

runService(queryService);
