import { Foundation1795279454384 } from './1795279454384-Foundation';
import { IngestApiKeys1795800000000 } from './1795800000000-IngestApiKeys';
import { OccurrenceRules1795900000000 } from './1795900000000-OccurrenceRules';
import { ClassifierRules1796000000000 } from './1796000000000-ClassifierRules';
import { OccurrenceRetention1796300000000 } from './1796300000000-OccurrenceRetention';
import { AlertLifecycle1796400000000 } from './1796400000000-AlertLifecycle';
import { Silences1796500000000 } from './1796500000000-Silences';
import { Incidents1796600000000 } from './1796600000000-Incidents';
import { Heartbeats1796700000000 } from './1796700000000-Heartbeats';
import { Paging1796800000000 } from './1796800000000-Paging';
import { AlertPriorityTeam1796900000000 } from './1796900000000-AlertPriorityTeam';
import { NotifierFeedDeliveries1797000000000 } from './1797000000000-NotifierFeedDeliveries';

/** Every migration, in order. Listed explicitly so the build needs no file globbing at run time. */
export const MIGRATIONS = [
  Foundation1795279454384,
  IngestApiKeys1795800000000,
  OccurrenceRules1795900000000,
  ClassifierRules1796000000000,
  OccurrenceRetention1796300000000,
  AlertLifecycle1796400000000,
  Silences1796500000000,
  Incidents1796600000000,
  Heartbeats1796700000000,
  Paging1796800000000,
  AlertPriorityTeam1796900000000,
  NotifierFeedDeliveries1797000000000,
];
