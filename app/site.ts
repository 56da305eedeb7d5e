/** The product's name, shown in titles and the header. Rename it when you build on this app. */
export const SITE_NAME = "Remix Discord Login";
