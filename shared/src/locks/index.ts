// Locks that keep two runs from changing the same thing at once.
export { acquireHostLock, releaseHostLock, readHolder, LockHeldError, type AcquireOptions, type HostLock, type LockHolder, type LockShell } from './host-lock.js';
export { hostLockPath } from './lock-path.js';
