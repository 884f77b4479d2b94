// The worker thread of log-sync.ts: syncfs(2) blocks until the filesystem is flushed, which on a
// busy disk can take long, so it runs here rather than on the event loop. One message is one
// descriptor to sync; the answer is 0 or the errno.
import { dlopen, read } from 'bun:ffi'
import { constants } from 'node:os'

const libc = dlopen('libc.so.6', {
  syncfs: { args: ['i32'], returns: 'i32' },
  __errno_location: { args: [], returns: 'ptr' },
})

declare const self: Worker

const { EIO } = constants.errno

function errno(): number {
  const at = libc.symbols.__errno_location()
  return at ? read.i32(at) : EIO
}

self.onmessage = (event: MessageEvent<number>) => {
  // errno read as 0 after a failure must not turn into success.
  self.postMessage(libc.symbols.syncfs(event.data) === 0 ? 0 : errno() || EIO)
}
