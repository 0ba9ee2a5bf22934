// Watching a real attendance-server started by a Node test suite (tests/api, tests/e2e): its logs
// (a bounded tail, for failure messages), its exit, and its port once it printed
// `attendance-server listening on http://127.0.0.1:PORT`, within a deadline (never a sleep).

export function watchServer(child, startDeadlineMs) {
  let output = '';
  const keep = (chunk) => {
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const port = new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not print its listening line within ${startDeadlineMs} ms:\n${output}`));
    }, startDeadlineMs);
    child.stdout.on('data', (chunk) => {
      keep(chunk);
      buffer += chunk;
      const match = /attendance-server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        buffer = '';
        resolve(Number(match[1]));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening (code ${code}, signal ${signal}):\n${output}`));
    });
  });
  return { port, exited, logs: () => output };
}
