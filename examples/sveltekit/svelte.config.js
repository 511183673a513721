import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    adapter: adapter(),
    // csrf stays as it is: its origin check covers form content types only
    // (urlencoded, multipart, text/plain), and R2 and Belvo send application/json.
  },
};
