/** @type {import('next').NextConfig} */
const nextConfig = {
  images: {
    domains: [
      'tuysxhhlwsuehadbvrdi.supabase.co',
      '1drv.ms' // ✅ Added Microsoft OneDrive domain
    ],
  },
}

module.exports = nextConfig
