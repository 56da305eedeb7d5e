import { fileURLToPath } from "node:url";
import { buildApp } from "../launcher/build";

// `npm run build`: the production build, exactly as `npm start` makes it when needed.
await buildApp(fileURLToPath(new URL("..", import.meta.url)));
