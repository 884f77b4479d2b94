// `import x from '...' with { type: 'file' }` yields the path of the embedded file (a $bunfs path
// inside a compiled binary); these are the assets the kit embeds that way.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const path: string
  export default path
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const path: string
  export default path
}
