// The same Worker without payhook: the baseline for start-up time.
export default {
  fetch: () => new Response('2'),
};
