import { snakeCase, SnakeNamingStrategy } from './snake-naming.strategy';

describe('SnakeNamingStrategy', () => {
  it.each([
    ['firstOccurrence', 'first_occurrence'],
    ['lastEventId', 'last_event_id'],
    ['HTTPPort', 'http_port'],
    ['alertId', 'alert_id'],
    ['tally', 'tally'],
  ])('%s → %s', (camel, snake) => {
    expect(snakeCase(camel)).toBe(snake);
  });

  it('names columns, with embedded prefixes, and keeps explicit table names', () => {
    const strategy = new SnakeNamingStrategy();
    expect(strategy.columnName('leaseUntil', undefined, [])).toBe('lease_until');
    expect(strategy.columnName('city', undefined, ['homeAddress'])).toBe('home_address_city');
    expect(strategy.columnName('ignored', 'customName', [])).toBe('custom_name');
    expect(strategy.tableName('NotificationLog', undefined)).toBe('notification_log');
    expect(strategy.tableName('X', 'outbox')).toBe('outbox');
  });
});
