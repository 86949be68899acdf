// The API documentation page (/api/v1/docs): Swagger UI on the app's own OpenAPI document.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof SwaggerUIBundle === "undefined") { return; }
  SwaggerUIBundle({ url: node.getAttribute("data-spec-url"), dom_id: "#swagger-ui",
                    deepLinking: false, tryItOutEnabled: false });
}());
