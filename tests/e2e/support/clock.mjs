// Moving the page's clock across the school's midnight. The page's today is the server's (read
// from each API answer's Date header) and the server runs in the present, so moving page.clock
// alone would move nothing. With this, every API answer carries the browser's own clock as its
// Date, as from a server whose clock agrees with the browser's: moving page.clock moves both.
// (The stream passes untouched: the page reads no Date from it.) Call before the page loads.

export async function serverClockFollowsBrowser(page) {
  await page.route((url) => url.pathname.startsWith('/api/') && !url.pathname.endsWith('/stream'), async (route) => {
    try {
      const response = await route.fetch();
      const browserNow = await page.evaluate(() => Date.now());
      await route.fulfill({ response, headers: { ...response.headers(), date: new Date(browserNow).toUTCString() } });
    } catch {
      // the page or its context is closing
    }
  });
}
