// The API documentation page: Swagger UI (vendored) on the portal's own OpenAPI schema.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
    tryItOutEnabled: false,
  });
})();
