// The search server's HTTP API (see /openapi.json). Every failure becomes an ApiError carrying the
// server's own message, so the page can show it as is.

/** A failed request: the server's error body, or what went wrong on the way. */
export class ApiError extends Error {
  constructor({ status = 0, code = 'http_error', message, parameter = null, requestId = null }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.parameter = parameter;
    this.requestId = requestId;
  }
}

/** Whether `error` comes from an AbortController (a newer request replaced this one). */
export function isAbort(error) {
  return error && error.name === 'AbortError';
}

async function request(url, init = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, ...init });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError({
      code: 'network_error',
      message: `The search server could not be reached (${e.message}).`,
    });
  }
  let body = null;
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    try {
      body = await response.json();
    } catch (e) {
      if (isAbort(e)) throw e;
    }
  }
  if (!response.ok) {
    const error = body && body.error;
    let message = error && error.message;
    if (!message) {
      message = `The server answered ${response.status} ${response.statusText}`.trim() + '.';
    }
    const retryAfter = response.headers.get('Retry-After');
    if (response.status === 503 && retryAfter) {
      message += ` Try again in ${retryAfter} s.`;
    }
    throw new ApiError({
      status: response.status,
      code: (error && error.code) || 'http_error',
      message,
      parameter: (error && error.parameter) || null,
      requestId: (error && error.request_id) || response.headers.get('X-Request-Id'),
    });
  }
  if (body === null) {
    throw new ApiError({
      status: response.status,
      code: 'bad_response',
      message: `The server sent an unreadable answer to ${url}.`,
    });
  }
  return body;
}

function encodeId(id) {
  return encodeURIComponent(id);
}

/** GET /ready: model id, dimension, product and image counts. */
export function ready(signal) {
  return request('/ready', { signal });
}

/** GET /api/search with `params` (q, k, offset, filters). */
export function searchText(params, signal) {
  return request('/api/search?' + params, { signal });
}

/** POST /api/search: a composed query of weighted parts, paging and filters in `body`. */
export function searchComposed(body, signal) {
  return request('/api/search', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

/** POST /api/search/image: the image as a multipart upload, paging and filters in `params`. */
export function searchImage(file, params, signal) {
  const form = new FormData();
  form.append('image', file, file.name || 'query-image');
  return request('/api/search/image?' + params, { method: 'POST', body: form, signal });
}

/** GET /api/products/{id}/similar with paging and filters in `params`. */
export function similar(id, params, signal) {
  return request(`/api/products/${encodeId(id)}/similar?` + params, { signal });
}

/** GET /api/products/{id}. */
export function product(id, signal) {
  return request(`/api/products/${encodeId(id)}`, { signal });
}

/** POST /api/classify: zero-shot probabilities of `labels` for the image. */
export function classify(file, labels, template, signal) {
  const form = new FormData();
  form.append('image', file, file.name || 'query-image');
  for (const label of labels) form.append('labels', label);
  if (template) form.append('template', template);
  return request('/api/classify', { method: 'POST', body: form, signal });
}

/** POST /api/detect: boxes for `labels` on the image, best first (zero-shot detection). */
export function detect(file, labels, signal) {
  const form = new FormData();
  form.append('image', file, file.name || 'query-image');
  for (const label of labels) form.append('labels', label);
  return request('/api/detect', { method: 'POST', body: form, signal });
}
