'use strict';
// Tests provoke failures on purpose; Nest's own logger would print each one. Errors still show.
require('@nestjs/common').Logger.overrideLogger(['error', 'fatal']);
