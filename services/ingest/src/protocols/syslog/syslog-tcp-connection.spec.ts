import { PassThrough } from 'node:stream';
import { SyslogFrame, SyslogStreamFramer } from './syslog-framing';
import { SyslogTcpConnection } from './syslog-tcp-connection';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A handler whose calls finish only when the test says so. */
function controlledHandler() {
  const calls: { text: string; sequence: number; finish: () => void }[] = [];
  const handle = (frame: SyslogFrame, sequence: number) =>
    new Promise<void>((resolve) => {
      calls.push({ text: Buffer.from(frame.bytes).toString(), sequence, finish: resolve });
    });
  return { calls, handle };
}

describe('SyslogTcpConnection', () => {
  let socket: PassThrough;

  beforeEach(() => {
    socket = new PassThrough();
  });

  afterEach(() => {
    socket.destroy();
  });

  it('hands frames on in arrival order, numbered, including a last line without LF at the end', async () => {
    const { calls, handle } = controlledHandler();
    new SyslogTcpConnection(socket, new SyslogStreamFramer(1024), handle, 10);
    socket.write('<13>a\n5 <13>b<13>c\n');
    socket.end('<13>d');
    await settle();
    expect(calls.map((c) => [c.sequence, c.text])).toEqual([
      [0, '<13>a'],
      [1, '<13>b'],
      [2, '<13>c'],
      [3, '<13>d'],
    ]);
  });

  it('stops reading at the in-flight limit and reads again once half are done', async () => {
    const { calls, handle } = controlledHandler();
    const connection = new SyslogTcpConnection(socket, new SyslogStreamFramer(1024), handle, 4);
    socket.write('<13>1\n<13>2\n<13>3\n<13>4\n');
    await settle();
    expect(connection.pending).toBe(4);
    expect(connection.readingPaused).toBe(true);
    expect(socket.isPaused()).toBe(true);

    socket.write('<13>5\n');
    await settle();
    expect(calls).toHaveLength(4); // held back while paused

    calls[0].finish();
    await settle();
    expect(socket.isPaused()).toBe(true); // 3 pending: still above half

    calls[1].finish();
    await settle();
    expect(connection.readingPaused).toBe(false);
    expect(calls.map((c) => c.text)).toEqual(['<13>1', '<13>2', '<13>3', '<13>4', '<13>5']);
  });

  it('stays stopped after stop(), while frames already handed on finish', async () => {
    const { calls, handle } = controlledHandler();
    const connection = new SyslogTcpConnection(socket, new SyslogStreamFramer(1024), handle, 2);
    socket.write('<13>1\n<13>2\n');
    await settle();
    connection.stop();
    calls.forEach((c) => c.finish());
    await settle();
    expect(connection.pending).toBe(0);
    expect(socket.isPaused()).toBe(true);
    socket.write('<13>3\n');
    await settle();
    expect(calls).toHaveLength(2);
  });
});
