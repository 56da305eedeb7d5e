import type { ServerResponse } from "node:http";
import type { AppContext } from "../app-context";
import { DEFAULT_AVATAR_COUNT } from "../discord/default-avatar";
import type { Router } from "../http/router";
import { sendBytes } from "../http/respond";
import { byAddress, guarded } from "../traffic/guarded-route";
import { defaultAvatarPng } from "./default-avatar-image";
import { identiconPng } from "./identicon";

const DEFAULT_SIZE = 128;
/** Hashed images never change, so they may be cached forever, as on Discord's CDN. */
const IMMUTABLE = "public, max-age=31536000, immutable";
const HASHED_PNG = /^([0-9a-f]{32})\.png$/;

/**
 * Discord accepts ?size= powers of two from 16 to 4096. Other values are
 * ignored (the default size is served) instead of failing the image.
 */
function imageSize(params: URLSearchParams): number {
  const size = Number(params.get("size"));
  return Number.isInteger(size) && size >= 16 && size <= 4096 && (size & (size - 1)) === 0 ? size : DEFAULT_SIZE;
}

function sendPng(res: ServerResponse, png: Buffer, cacheControl: string): void {
  sendBytes(res, 200, "image/png", png, { "Cache-Control": cacheControl, "Access-Control-Allow-Origin": "*" });
}

function notFound(res: ServerResponse): void {
  sendBytes(res, 404, "text/plain; charset=utf-8", Buffer.from("404: Not Found"));
}

export function registerCdnRoutes(router: Router, context: AppContext): void {
  const get = (path: string, handler: Parameters<Router["on"]>[2]) =>
    router.on("GET", path, guarded(context, "cdn", byAddress, handler));

  get("/avatars/:userId/:file", ({ res, url, params }) => {
    const hash = HASHED_PNG.exec(params.file!)?.[1];
    const account = context.state.accounts.get(params.userId!);
    if (!hash || account?.avatar !== hash) return notFound(res);
    sendPng(res, identiconPng(hash, imageSize(url.searchParams)), IMMUTABLE);
  });

  get("/icons/:guildId/:file", ({ res, url, params }) => {
    const hash = HASHED_PNG.exec(params.file!)?.[1];
    const guild = context.state.guilds.get(params.guildId!);
    if (!hash || guild?.icon !== hash) return notFound(res);
    sendPng(res, identiconPng(hash, imageSize(url.searchParams)), IMMUTABLE);
  });

  get("/embed/avatars/:file", ({ res, url, params }) => {
    const index = /^([0-9])\.png$/.exec(params.file!)?.[1];
    if (index === undefined || Number(index) >= DEFAULT_AVATAR_COUNT) return notFound(res);
    sendPng(res, defaultAvatarPng(Number(index), imageSize(url.searchParams)), "public, max-age=86400");
  });
}
