/** Discord serves the API under /api/v10 and, unversioned, under /api: both paths of a route. */
export const apiPaths = (path: string): string[] => [`/api/v10${path}`, `/api${path}`];
