// What other folders may use of feed/.
export { FeedModule } from './feed.module';
export { FeedService } from './feed.service';
