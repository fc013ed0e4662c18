import { describe, expect, it } from 'vitest'
import { attachmentDisposition, extensionFor } from '../../server/utils/uploads'

describe('extensionFor', () => {
  it('takes the extension from the content-type policy first', () => {
    expect(extensionFor('image/jpeg', 'photo.exe')).toBe('jpg')
    expect(extensionFor('text/plain', 'notes')).toBe('txt')
  })

  it.each([
    ['archive.TAR', 'tar'],
    ['../../x', 'bin'],
    ['../../etc/passwd.d/../shadow', 'bin'],
    ['dir/evil.php/../a.Data', 'data'],
    ['.bashrc', 'bin'],
    ['name.averyveryverylongext', 'bin'],
    ['weird.ex-t', 'bin'],
    ['C:\\Users\\me\\report.XLSX', 'xlsx'],
    ['', 'bin'],
  ])('for an unknown type derives a safe extension from %j → %s', (filename, extension) => {
    expect(extensionFor('application/octet-stream', filename)).toBe(extension)
  })
})

describe('attachmentDisposition', () => {
  it('always says attachment and carries the exact UTF-8 name', () => {
    const value = attachmentDisposition('café "quoted" 😀.html')
    expect(value.startsWith('attachment; ')).toBe(true)
    expect(value).toMatch(/^[\x20-\x7E]+$/)
    expect(value).toContain(`filename*=UTF-8''${encodeURIComponent('café "quoted" 😀.html')}`)
    expect(value).toContain('filename="caf_ _quoted_ __.html"')
  })
})
