// What other folders may use of changes/.
export { ChangesModule } from './changes.module';
