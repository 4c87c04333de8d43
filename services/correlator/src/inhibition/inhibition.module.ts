import { Module } from '@nestjs/common';
import { InhibitRulesHandler } from './inhibit-rules.handler';

/** Inhibition rules' API; rules are applied by the maintenance module's silencing passes and batches. */
@Module({ controllers: [InhibitRulesHandler] })
export class InhibitionModule {}
