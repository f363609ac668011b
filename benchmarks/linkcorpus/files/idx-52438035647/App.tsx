const LOGO_ABOUT_URL = "https://drive.google.com/thumbnail?id=1fZ5zARjTmJOg96y7vKKR4IaC8BUNidqQ&sz=w600";
const HERO_IMAGE = "https://drive.google.com/thumbnail?id=1Z1mGwwNTio8wQRP3cEEtn5eqiLZW6dZ0&sz=w1920"; 

// Global cache for loaded images to prevent flickering
const LOADED_IMAGES = new Set<string>();
