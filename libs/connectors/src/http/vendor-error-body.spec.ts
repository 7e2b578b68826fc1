import { parseVendorErrorBody } from './vendor-error-body.js';

/** What the Alibaba gateway answers under `Format=XML` (vendor-sim renders the same shape). */
const ALIYUN_XML_ERROR =
  "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>6A1D4C2B-0F3E-4A5B-9C8D-7E6F5A4B3C2D</RequestId>" +
  '<HostId>dataworks.cn-shanghai.aliyuncs.com</HostId><Code>Throttling.User</Code>' +
  '<Message>Request was denied due to user flow control.</Message>' +
  '<Recommend>https://api.aliyun.com/troubleshoot?q=Throttling.User&amp;product=dataworks-public</Recommend></Error>';

describe('parseVendorErrorBody', () => {
  it.each([
    ['Huawei', '{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached"}', 'APIG.0308', 'The throttling threshold has been reached'],
    ['Huawei IAM (nested)', '{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}', '401', 'The username or password is wrong.'],
    ['Alibaba JSON', '{"RequestId":"1","HostId":"h","Code":"Forbidden.Access","Message":"You are not authorized."}', 'Forbidden.Access', 'You are not authorized.'],
    ['the DataWorks envelope', '{"HttpStatusCode":400,"Success":false,"ErrorCode":"Invalid.Tenant.ProjectNotExists","ErrorMessage":"The project does not exist."}', 'Invalid.Tenant.ProjectNotExists', 'The project does not exist.'],
    ['Alibaba XML', ALIYUN_XML_ERROR, 'Throttling.User', 'Request was denied due to user flow control.'],
    [
      'the DataWorks envelope in XML, pretty-printed, after a BOM',
      '\uFEFF<?xml version="1.0"?>\n<ListDataServiceApisResponse>\n  <Success>false</Success>\n  <ErrorCode>Forbidden.Access</ErrorCode>\n  <ErrorMessage>No access.</ErrorMessage>\n</ListDataServiceApisResponse>',
      'Forbidden.Access',
      'No access.',
    ],
  ])('reads the code and message of %s', (_vendor, body, vendorCode, vendorMessage) => {
    expect(parseVendorErrorBody(body)).toEqual({ vendorCode, vendorMessage });
  });

  it('decodes XML entities and character references in the message, and nothing else', () => {
    const body = '<Error><Code>InvalidParameter</Code><Message>The specified parameter &quot;PageSize&quot; is not valid: &lt;= 100 &amp; &#x2265;1 &#20013; &unknown; &#0;</Message></Error>';
    expect(parseVendorErrorBody(body)).toEqual({
      vendorCode: 'InvalidParameter',
      vendorMessage: 'The specified parameter "PageSize" is not valid: <= 100 & ≥1 中 &unknown; &#0;',
    });
  });

  it('still reads an XML error cut short (the client reads at most 8 KiB of an error body)', () => {
    expect(parseVendorErrorBody(ALIYUN_XML_ERROR.slice(0, ALIYUN_XML_ERROR.indexOf('<Recommend>') + 20)).vendorCode).toBe('Throttling.User');
  });

  it('reads nothing from XML with a DOCTYPE or entity declarations (no entity is ever expanded)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><Error><Code>X</Code><Message>&b;</Message></Error>';
    const external = '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><Error><Code>X</Code><Message>&x;</Message></Error>';
    expect(parseVendorErrorBody(bomb)).toEqual({ vendorCode: undefined, vendorMessage: undefined });
    expect(parseVendorErrorBody(external)).toEqual({ vendorCode: undefined, vendorMessage: undefined });
  });

  it('takes no code from an HTML page, plain text, or a code that is not an identifier', () => {
    expect(parseVendorErrorBody('<html><body><code>APIG.1</code></body></html>')).toEqual({ vendorCode: undefined, vendorMessage: undefined });
    expect(parseVendorErrorBody('<!DOCTYPE html><html><code>APIG.1</code></html>').vendorCode).toBeUndefined();
    expect(parseVendorErrorBody('Service Unavailable')).toEqual({ vendorCode: undefined, vendorMessage: undefined });
    expect(parseVendorErrorBody('<Error><Code>not a code; DROP TABLE</Code><Message>m</Message></Error>')).toEqual({ vendorCode: undefined, vendorMessage: 'm' });
    expect(parseVendorErrorBody('{"Code":"two words","Message":"m"}')).toEqual({ vendorCode: undefined, vendorMessage: 'm' });
  });
});
