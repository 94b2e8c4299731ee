import Testing

@testable import VendorProfiles

@Suite("Target attribute syntax")
struct TargetPathTests {
    @Test(arguments: [
        "userName",
        "name.givenName",
        "emails[type eq \"work\"].value",
        "addresses[type eq \"work\"].formatted",
        "roles[primary eq \"True\"].value",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "x-custom_attr$1",
    ])
    func wellFormed(path: String) {
        #expect(TargetPath.syntaxError(in: path) == nil)
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        var path: String
        var offset: Int
        var fragment: String
        var testDescription: String { path }
    }

    @Test(arguments: [
        Broken(path: "", offset: 0, fragment: "target attribute is empty"),
        Broken(path: "1userName", offset: 0, fragment: "expected an attribute name, found '1'"),
        Broken(path: "name.", offset: 5, fragment: "found the end"),
        Broken(path: "name..givenName", offset: 5, fragment: "found '.'"),
        Broken(path: "user name", offset: 4, fragment: "unexpected ' ' after the attribute"),
        Broken(path: "emails[type = \"work\"].value", offset: 11, fragment: "expected ' eq '"),
        Broken(path: "emails[type eq work].value", offset: 15, fragment: "expected a double-quoted value"),
        Broken(path: "emails[type eq 'work'].value", offset: 15, fragment: "straight double quotes, not '"),
        Broken(path: "emails[type eq “work”].value", offset: 15, fragment: "straight double quotes, not “"),
        Broken(path: "emails[type eq \"work", offset: 20, fragment: "unterminated filter value"),
        Broken(path: "emails[type eq \"work\".value", offset: 21, fragment: "expected ']'"),
        Broken(path: "emails[type eq \"work\"].", offset: 23, fragment: "found the end"),
        Broken(path: "urn:", offset: 0, fragment: "schema URN has no attribute"),
        Broken(path: "urn:ietf params:User:x", offset: 8, fragment: "unexpected ' ' in the schema URN"),
        Broken(path: "urn:ietf:params:User:", offset: 21, fragment: "found the end"),
        Broken(path: "名前", offset: 0, fragment: "expected an attribute name"),
        Broken(path: "a.b.c", offset: 3, fragment: "unexpected '.' after the attribute"),
    ])
    func malformed(_ broken: Broken) {
        let error = TargetPath.syntaxError(in: broken.path)
        #expect(error?.offset == broken.offset)
        #expect(error?.message.contains(broken.fragment) == true, "\(error?.message ?? "no error")")
    }

    @Test func offsetsCountUnicodeScalars() {
        // ö is one scalar (two UTF-8 bytes), so the stray x is at scalar offset 22.
        let later = TargetPath.syntaxError(in: "emails[type eq \"wörk\"]x")
        #expect(later?.offset == 22)
    }
}
