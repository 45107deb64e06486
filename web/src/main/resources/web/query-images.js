// Query images, kept in this browser under a key derived from their bytes, so that a page URL
// such as /?img=<key> survives Back, Forward and reload. The server does not keep uploaded query
// images, so such a link only works in the browser that made it; without IndexedDB (private
// windows of some browsers) images live as long as the page.

const DB_NAME = 'clipsearch';
const STORE = 'query-images';
/** Images kept; older ones are dropped. */
const KEEP = 20;

const memory = new Map();
let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve) => {
      if (!('indexedDB' in window)) {
        resolve(null);
        return;
      }
      let open;
      try {
        open = indexedDB.open(DB_NAME, 1);
      } catch (e) {
        resolve(null);
        return;
      }
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => resolve(null);
      open.onblocked = () => resolve(null);
    });
  }
  return dbPromise;
}

function requestPromise(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** 64-bit FNV-1a, for pages served without a secure context (no crypto.subtle). */
function fnv1a64(bytes) {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const b of bytes) {
    hash = ((hash ^ BigInt(b)) * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}

/** A short key naming the image's content: equal files get equal keys. */
export async function keyOf(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (window.crypto && crypto.subtle) {
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return hex(new Uint8Array(digest)).slice(0, 16);
  }
  return fnv1a64(bytes);
}

/** Stores `file` and returns its key. */
export async function put(file) {
  const key = await keyOf(file);
  memory.set(key, file);
  const db = await openDb();
  if (db) {
    try {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      store.put({ key, file, savedAt: Date.now() });
      const all = await requestPromise(store.getAll());
      all.sort((a, b) => b.savedAt - a.savedAt);
      for (const old of all.slice(KEEP)) store.delete(old.key);
    } catch (e) {
      // Quota or a closed database: the in-memory copy still serves this page.
    }
  }
  return key;
}

/** The image stored under `key`, or null when this browser no longer has it. */
export async function get(key) {
  if (memory.has(key)) return memory.get(key);
  const db = await openDb();
  if (!db) return null;
  try {
    const entry = await requestPromise(db.transaction(STORE).objectStore(STORE).get(key));
    if (entry && entry.file) {
      memory.set(key, entry.file);
      return entry.file;
    }
  } catch (e) {
    // Unreadable store: treat as missing.
  }
  return null;
}
