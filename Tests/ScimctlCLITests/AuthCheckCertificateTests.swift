import Foundation
import TestSupport
import Testing

/// `scimctl auth check` with AZURE_CLIENT_CERTIFICATE_PATH, against the emulator's token endpoint.
@Suite struct AuthCheckCertificateTests {
    // Made with the openssl 3.0 CLI for this test only (trusted nowhere):
    // `openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=scimctl-cli-test/O=scimctl tests" -days 36500`,
    // a second certificate for the same key valid only during 2020 (`openssl ca -selfsign -startdate … -enddate …`),
    // and an unrelated key.
    static let certificate = """
        -----BEGIN CERTIFICATE-----
        MIIDSTCCAjGgAwIBAgIUNNA+KOlzVZXzikynDi9SJuo14hYwDQYJKoZIhvcNAQEL
        BQAwMzEZMBcGA1UEAwwQc2NpbWN0bC1jbGktdGVzdDEWMBQGA1UECgwNc2NpbWN0
        bCB0ZXN0czAgFw0yNjExMjYxNDMxMDBaGA8yMTI2MTEwMjE0MzEwMFowMzEZMBcG
        A1UEAwwQc2NpbWN0bC1jbGktdGVzdDEWMBQGA1UECgwNc2NpbWN0bCB0ZXN0czCC
        ASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAJmf+wcpun2LK05jO6k33AFD
        I7o8i1fxTY7v4Oi9l85kIDyRcI7oAJX96JGt3siMI9r8srhOYCAezljBckxhACtY
        u7U9HyDVfG+oNDz/zpmcUT8q8lzOsEbb63LjQkP9laPY56JsmQjroaUi7KbLd93m
        DBPioVTgR3B0OzrOSEvouQaqn3jaz4TsDZl6KHNrAHM6AhGKv9X8T4/ofE5zpF/l
        iJqmTrvmsKMNNMJO9oYc9hWOk8LxYrto3FGyj55BASZrVhmTRwcq212hNa9884zV
        C7Ihk+B2PdHyHXlxQ2x1xPHjGEyjIaV+h+8NyW4NC8jLPxLVl2A7wOjoQNdrKEMC
        AwEAAaNTMFEwHQYDVR0OBBYEFMJJ5vsDi7bLA/QRUmzDMREhHgtaMB8GA1UdIwQY
        MBaAFMJJ5vsDi7bLA/QRUmzDMREhHgtaMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZI
        hvcNAQELBQADggEBAHE3UFCOER97zMwFoJKdcpAFNhL+8QpcRyikNIPidQkN2PTp
        VZEEJ4qeAr6jK7+k+CJwwWPlQWMtRzZdGnpghq8yjezoUPmIVUQiLkIwfcjOMwYx
        6feN5KqNveKT/pnec2n4cXQRpjIrgACQ2he0QNKTEfsStuWYm7J9vehPRsgcMYsg
        IqmPKb7Wk7Y0fd7nEm1g3yUiSyHytT4t8XJOyAVseYThiMn+VdkI+ZP6Gjwpk4Qi
        veLukLw0K1bvRvydCHoiklFn21ZNwBtUy+IThghUOVeXJMvh2bwSKht3Sitk3UKH
        c6CCe+JcQyW1RHaCPO46/oAznVxT34Qs0mkHGjQ=
        -----END CERTIFICATE-----
        """
    static let key = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCZn/sHKbp9iytO
        YzupN9wBQyO6PItX8U2O7+DovZfOZCA8kXCO6ACV/eiRrd7IjCPa/LK4TmAgHs5Y
        wXJMYQArWLu1PR8g1XxvqDQ8/86ZnFE/KvJczrBG2+ty40JD/ZWj2OeibJkI66Gl
        Iuymy3fd5gwT4qFU4EdwdDs6zkhL6LkGqp942s+E7A2ZeihzawBzOgIRir/V/E+P
        6HxOc6Rf5Yiapk675rCjDTTCTvaGHPYVjpPC8WK7aNxRso+eQQEma1YZk0cHKttd
        oTWvfPOM1QuyIZPgdj3R8h15cUNsdcTx4xhMoyGlfofvDcluDQvIyz8S1ZdgO8Do
        6EDXayhDAgMBAAECggEAIv5qr6SFOxDHAhmfnvm+7zisfEFLWnJ4gM1KlamOWXC8
        WR+mHJ9jdsc6QWjyPQuTJVB3o30S724lAdm64AQehkE1rOCp5RBMQqD1mUmJ9brC
        VRnC0HoydEmnNennj9ZFTmfbx8dmCr6l+RheANaLTOwYpzTyHAPksgx/63LOzB9x
        15h7Y8IU8+t1L+mOnktxQD+Vhgo2/lbS4Otg9S7+bWnYDRYAWokIqLhoB2uCvnHS
        3T56G4dDE5A93iGjpaWHmdTYqik8Fymb8Ljo80eq/JOWjyAa6t1aauVM5igwzl7d
        KfwXUNDy0s4kxUphD0cpVx6CuwuQNWk/Jju0jp2aWQKBgQDWyD4idzuQvGDcFsGT
        qkDVnmuxRKqdEgn6BzRECq0OkR/6CM4nMOlfXW88Xd/nSGITMVO6C1+1ENxDE2pX
        +YZNXs8MWRtcy2GsG230sdrt++ldXflFq0Du1pk+X6SC/4hMRLIhhjKmlia/HQwH
        CdKYhELJdyXbXgINuz0uuTwFuQKBgQC3GzibJiyjie+5XwFZlV3t0pIlUYF8DmZJ
        tLyXHr6b+WF/HsThdO4WGwcjHtyvvg8Yya2k+h/PqEe5JDmX8929pHc6/tj0GHuC
        VkIB0kM2UsppJf25qzo+D4bvhWePPik3Qgj6MHRyuuM3g7IzrgXPqsY/aN7lkXvk
        SH/aEBXb2wKBgQDOdTus+7oJPdtJlKJNJGogLaFNjDkItS9b5RLrmOuTRhNb0J0B
        9TVPk0v61i4Fb4G++zqFaqt8LJHd9ErT+CqOMuWJ9BmmUGY5/z/p6BEPlIhVVKDp
        xF2teCFkYKGNvr4wuhQUv5/unATwzqYiGeIS84gTivGb9bi5pFOCl1JIGQKBgCV3
        enO0sfmcpeLGX95Ww+t/5MuiC964i5GVW+mILvR3aM28HAkOBhGb4i/7hqinOSuX
        SOKzE4NIKbTmhqpjCgJd/s+hif8Ya11WDReWUI5zDlvJnEs7kCVWxAOKxo/25jQa
        XP/knk9Dkm6vke0lNKcziHE9Ii7TQAiMFS0nkXF1AoGBALmogNChE++8URgCVKOi
        iOHs31NHKM53suRroNGlNBUjm5ue2pR1ZcrX++cUoFZRM2gd07kX1oB+wlQWnXc2
        T2lar2qrQmUMlDCU8l5M/m1b9pd7o+ZL+nrljnHijQFkdpJeY5Q3PWkNi11UXwUn
        DH92iJkv+/Y37EASaGAV6z7o
        -----END PRIVATE KEY-----
        """
    static let expiredCertificate = """
        -----BEGIN CERTIFICATE-----
        MIICsDCCAZgCAQEwDQYJKoZIhvcNAQELBQAwHjEcMBoGA1UEAwwTc2NpbWN0bC1j
        bGktZXhwaXJlZDAeFw0yMDAxMDEwMDAwMDBaFw0yMTAxMDEwMDAwMDBaMB4xHDAa
        BgNVBAMME3NjaW1jdGwtY2xpLWV4cGlyZWQwggEiMA0GCSqGSIb3DQEBAQUAA4IB
        DwAwggEKAoIBAQCZn/sHKbp9iytOYzupN9wBQyO6PItX8U2O7+DovZfOZCA8kXCO
        6ACV/eiRrd7IjCPa/LK4TmAgHs5YwXJMYQArWLu1PR8g1XxvqDQ8/86ZnFE/KvJc
        zrBG2+ty40JD/ZWj2OeibJkI66GlIuymy3fd5gwT4qFU4EdwdDs6zkhL6LkGqp94
        2s+E7A2ZeihzawBzOgIRir/V/E+P6HxOc6Rf5Yiapk675rCjDTTCTvaGHPYVjpPC
        8WK7aNxRso+eQQEma1YZk0cHKttdoTWvfPOM1QuyIZPgdj3R8h15cUNsdcTx4xhM
        oyGlfofvDcluDQvIyz8S1ZdgO8Do6EDXayhDAgMBAAEwDQYJKoZIhvcNAQELBQAD
        ggEBACBvPlcJQ4Eh3D0Jp78dsvs3mqNTnEvntgc9apAnnzAEKES2kjk4k/Av+Kdx
        g3RBgAdu+sfYaeXalrxPGG0m0jWTqWfYE9zbM0d4F2PaQG5mJFa45uAQfkPHBGOl
        R+uKpsFAHwL3pzELTEtj9YNpyYTvfrcaPEDVRAqz7g8mjRy5f5j6jK8znITPjocP
        cTDw4cgFWMIT94ictDv46Q5obry/niIuQnyyeu5QjiP7juj0gQeFODtY4aZ7ACQn
        qVzFui8RHDKI0yCSOikSojgpnRW1aMq4Xuk8bsgSvqSWTaNBZErpu1frirLYHmxl
        uGDiLKjHKBwb/W549fthGQogmyE=
        -----END CERTIFICATE-----
        """
    static let otherKey = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCpweghc6b/FPP8
        FDgpSaOJaZcMXcH75bWnSne1z0sQNgutNS/J3L68d7nDHqsBqHYIfXypP77DrWYq
        6LQ8XKWXxHXjyFd+r6+nGK0jcH6+SnKquAztSYvrrUVStQ1eDojFlrKYBiDPB3Uc
        tAyYi4KleofMaK1DVbzRM9mumL1d/6ZAtQYXuyNPiueMd0dMYv9CDKNm27o1+iJu
        eJ71VtjRN7PqxdakOYw28h4GtMgvVO6B7dqgjUKB82qfcIotL2oLkkVsZSBLNCVn
        6I49exbmV2XeI8ujP71Xwz69/VndsQnBVm8vC9AoZVFIdwxHx67Gjp/+6bQ5YI1O
        I4c78v7ZAgMBAAECggEAAamY6WjBkjNNTn/DSyQFGzZ6vXFwUdQ+jrWWXZduC1as
        j4z365GMsVnFHe9MbclnMR8LSmwja4HrGfQ6HXKFIVex+/g4loo0rY2hFqawEEYr
        hsO87HivpPAaWWyIjBr9e91L4QLqJxdLx+ToNl9WZeKHPWLQjWDKQIYlS+LdZucs
        d9Vg9uGfl3zu5VgmKlm6vlN8sgSyiq4WsawYZRAOPvoKhORQZ5NDiBhzoiRhjVS2
        LCESicVJ3wNFXUk2LGVcRmywv32q4MosJKd4RkmshygyFbBxjgth+iYO73y9kCjQ
        8W2c2Mw+iYo+ZHnLqoyGj+KjqTql4zE4GZHpDCA9gQKBgQDkNt9Jx1u3BSfqcfcT
        g8FQYGnHN7F0mszHUtXBbiEqYqHqvn3FUZ815ELOgyKnYkuYtnipeVteMd/yCDZb
        9DvWyl1eUuQ7NPG0n0cWIc1gJAnV0S6dTNSmFUFKjxdeVfxgAr+re7650r8mfKCn
        40wl3Wm9B7ZPmiiJyTiIBomMWQKBgQC+bQNqiwfGEerv/WpuMoL+ORCMeCjr9fdU
        j/BWbiGLmS3GKxoCqzFiPDxJe86jTdLhDSR+w7pTeautGSV50FsubZ+wbtgMe1I2
        YS43YTDiMVjNz4BtIh9Wli9Q2cfbuIjlmJhPXi/3W/LgHIWs8BZ1aXUovUMpVbxW
        7PyzEjy2gQKBgD1V+iFMMXw5KIc8ZhmamcROhV+DunAKgus3ejfor4VCyR3cYNU9
        oLrNRJ9YY2H1azf6Iuf5s/LXGMdmKaYBOGv8K6gEQ08eZbAT9vkd0KL8TKBo/kxM
        sAKLR+cQGknCdngfhQBD2/j5iWKAsHUvA/JRVe/2OKugVTDjIgx9JU7RAoGANjsF
        hgoiJJ5lsgMRlGB+Pbgypk5yGQDrdwGnCHZEx2TQTGdp+OiYH8nXwXWo24kGTWFY
        y2EiZzN3WMyYh6B21zoRCEYI8UUNnL8AUnUzXrd++t3lTS8yjY4n23aqHEDpe7mB
        ZtkEAAYHnRuCVkXpn3ZxDzEXN2ZbRMYpETZYZAECgYBY2il2IaXRzS0A48tS4Qb+
        k7kJju0x1f9lgqf7DiYeGT9oGFdSwnAvX5t4XK2xDC8bUgVj4WoRNjpuouyJnNsQ
        rgkOg1oz2jhesPoidcRAk88nomLU26AEpm3vPbDb1V8sMIXVlLnBC/21hh6AhDi9
        M6pcGuflzldeBCfz0JML9g==
        -----END PRIVATE KEY-----
        """
    /// `openssl x509 -noout -fingerprint -sha1` and `-sha256`, without the colons.
    static let sha1Thumbprint = "A21C7704197DA91FCB35862F70F2C57971626AAC"
    static let sha256Thumbprint = "B8C0103B81B56B34ED61F69F1CB49C9242FA670C45DEC876B0F120CB4FDEC02F"

    func check(_ file: String, in directory: TemporaryDirectory, emulator: RunningEmulator) async throws -> ProcessResult {
        let path = directory.url.appendingPathComponent("cert-\(UUID().uuidString).pem").path
        try file.write(toFile: path, atomically: true, encoding: .utf8)
        return try await Scimctl.run(
            ["auth", "check", "--graph-url", emulator.url, "--authority-host", emulator.url],
            environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                          "AZURE_CLIENT_CERTIFICATE_PATH": path])
    }

    /// No line of the key's base64 may appear anywhere in the output.
    func expectNoKeyMaterial(_ result: ProcessResult, _ key: String) {
        for line in key.split(separator: "\n") where !line.hasPrefix("-----") {
            #expect(!result.stdout.contains(line) && !result.stderr.contains(line))
        }
    }

    @Test func showsTheCertificateItUsesAndNeverTheKey() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            // Two certificates for the key, the expired one first: the one valid now is chosen, so no warning.
            let result = try await check(Self.expiredCertificate + "\n"
                                       + Self.key + "\n" + Self.certificate + "\n", in: directory, emulator: emulator)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("method: client-certificate"))
            #expect(result.stdout.contains("certificate subject: ") && result.stdout.contains("CN=scimctl-cli-test"))
            #expect(result.stdout.contains("certificate thumbprint (SHA-1, as the Entra portal lists it): \(Self.sha1Thumbprint)"))
            #expect(result.stdout.contains("certificate thumbprint (SHA-256): \(Self.sha256Thumbprint)"))
            #expect(result.stdout.contains("certificate validity: 2026-11-26T14:31:00Z to 2126-11-02T14:31:00Z (valid now)"))
            #expect(result.stdout.contains("certificate matches the private key: yes (RSA 2048 bits; 1 other certificate in the file not used)"))
            #expect(result.stdout.contains("token: obtained"))
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            expectNoKeyMaterial(result, Self.key)
        }
    }

    @Test func anExpiredCertificateIsAWarning() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let result = try await check(Self.expiredCertificate + "\n" + Self.key + "\n", in: directory, emulator: emulator)
            #expect(result.stderr.contains("warning: the certificate in "), "\(result.stderr)")
            #expect(result.stderr.contains("expired on 2021-01-01T00:00:00Z"))
            #expect(result.stdout.contains("to 2021-01-01T00:00:00Z (EXPIRED)"))
            expectNoKeyMaterial(result, Self.key)
        }
    }

    @Test func aCertificateOfAnotherKeyIsRefusedLocally() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let result = try await check(Self.certificate + "\n" + Self.otherKey + "\n", in: directory, emulator: emulator)
            #expect(result.status == 1)
            #expect(result.stderr.contains("belongs to its private key; found "), "\(result.stderr)")
            #expect(result.stderr.contains("(thumbprint \(Self.sha1Thumbprint))"))
            #expect(!result.stdout.contains("token: obtained"))
            expectNoKeyMaterial(result, Self.otherKey)
        }
    }
}
