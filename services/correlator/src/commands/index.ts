// What other folders may use of commands/.
export { CommandsModule } from './commands.module';
