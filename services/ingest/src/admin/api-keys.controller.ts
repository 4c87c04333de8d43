import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseBoolPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyInfo, CreatedApiKey } from '@vigil/persistence';
import { AdminTokenGuard } from '@vigil/runtime';
import { ApiKeyAuthenticator } from '../gate/api-key.authenticator';
import { CreateApiKeyDto } from './create-api-key.dto';

/** Producers' API keys, for operators; the same operations as `vigil apikey`. */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@UseGuards(AdminTokenGuard)
@Controller('api/v1/admin/api-keys')
export class ApiKeysController {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the answer holds the key, shown this once only' })
  create(@Body() request: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.authenticator.keys.create(request);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  list(@Query('includeRevoked', new ParseBoolPipe({ optional: true })) includeRevoked?: boolean) {
    return this.authenticator.keys.list({ includeRevoked: includeRevoked === true });
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke an API key; it stops working at once here, within 30 s on other replicas',
  })
  async revoke(@Param('id') id: string): Promise<ApiKeyInfo> {
    const revoked = await this.authenticator.keys.revoke(id);
    if (!revoked) throw new NotFoundException(`no API key with id "${id}"`);
    this.authenticator.forget(id);
    return revoked;
  }
}
