"""Two versions of one small OpenAPI document, with one change of every kind between them.

From V1 to V2: a new required parameter, a deprecation, a new error response, a
success response replaced, an operation moved (same operationId), one removed, one
added, the API key moved from a header to the query, and a new base URL. In the body
of ``POST /invoices`` (a referenced schema with an ``allOf`` part): a field became
required, one is new and required, one new and optional, one removed.
"""

V1 = """\
openapi: 3.0.3
info: {title: Billing, version: '1'}
servers: [{url: 'https://api.billing.example.com/v1'}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
  schemas:
    NewInvoice:
      allOf:
        - {$ref: '#/components/schemas/Amount'}
        - properties: {customer: {type: string}, memo: {type: string}}
    Amount: {required: [amount], properties: {amount: {type: integer}}}
security: [{key: []}]
paths:
  /invoices:
    get:
      operationId: listInvoices
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok}}
    post:
      operationId: createInvoice
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewInvoice'}
      responses: {'201': {description: created}, '400': {description: bad}}
  /invoices/{id}:
    get:
      operationId: getInvoice
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /refunds:
    post:
      operationId: createRefund
      responses: {'201': {description: created}}
"""

V2 = """\
openapi: 3.0.3
info: {title: Billing, version: '2'}
servers: [{url: 'https://api.billing.example.com/v2'}]
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
  schemas:
    NewInvoice:
      allOf:
        - {$ref: '#/components/schemas/Amount'}
        - required: [customer, currency]
          properties: {customer: {type: string}, currency: {type: string}}
        - oneOf:
            - {required: [note], properties: {note: {type: string}}}
            - {properties: {reference: {type: string}}}
    Amount: {required: [amount], properties: {amount: {type: integer}}}
security: [{key: []}]
paths:
  /invoices:
    get:
      operationId: listInvoices
      deprecated: true
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: account, in: query, required: true, schema: {type: string}}
      responses: {'200': {description: ok}, '429': {description: slow down}}
    post:
      operationId: createInvoice
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewInvoice'}
      responses: {'202': {description: accepted}}
  /v2/invoices/{id}:
    get:
      operationId: getInvoice
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /credits:
    post:
      operationId: createCredit
      responses: {'201': {description: created}}
"""
