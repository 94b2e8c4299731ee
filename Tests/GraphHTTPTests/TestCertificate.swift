// A throwaway RSA-2048 key and self-signed certificate (CN=scimctl-test-only), generated with openssl for these
// tests only. It is not trusted anywhere.
enum TestCertificate {
    static let pem = """
        -----BEGIN CERTIFICATE-----
        MIIDGTCCAgGgAwIBAgIUAkul6/2NoI/iQ8R4i+2zFQYzPLwwDQYJKoZIhvcNAQEL
        BQAwHDEaMBgGA1UEAwwRc2NpbWN0bC10ZXN0LW9ubHkwHhcNMjYxMTI0MTIyMjUy
        WhcNMzYxMTIxMTIyMjUyWjAcMRowGAYDVQQDDBFzY2ltY3RsLXRlc3Qtb25seTCC
        ASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAL6K7ck6PKxxHhctgfMAqsZK
        CETFWGAbWxXncavza/CHbHHMTEVYS3PWeOFi8SNGGvqt7Y07e1FmFP7G478qDnnA
        pJ9PWJbOKmapBnWZJ4ydIVljHYzhBoym0nKjIph9qmckZ9+khnM8/1AveecafoZy
        olYMtG2am9Z/iZ+P3/CY1XPjQczPbWsE9rG+ATJP+/J00epTBFe2YsNo999vTQln
        jDqsfJ+xdUhltl8jEg4++xOzU1ygofR2MThb9W2v8Oehho/CwP/lV5IhLtWl1cHU
        Xj24xFmP6dNGglE1HATmZUzCKzUmoz8ErdT6rM1Irtuj83kVrPpXA90/vCQacXEC
        AwEAAaNTMFEwHQYDVR0OBBYEFBVMFNMvz9JM+XVoVSfRoVMZ5+Z0MB8GA1UdIwQY
        MBaAFBVMFNMvz9JM+XVoVSfRoVMZ5+Z0MA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZI
        hvcNAQELBQADggEBAJFGSp9kfJR6jX12TEu8MAeIbu2u2WSMGgQwfmOwHExGuC7S
        Halal0wfIrTjd1GmS+rzYZbU0C/OAFv+VC8LPtMIPiVEYFVt87OwJEJoP+PJZMr+
        TJRaxv/vfcRoo6Eg3ryxno78T5iK6+VvmXZkZ8aOEllnfJeW4RNUj2DmH0C4Esc9
        0x8d6g3HMvgJZXHfQZn1Q6tRl9Iev72K3WwYxMHHMszq22BNQMTndysIusdoakX5
        wZLojf6MNtxP7/Y6CBPGsaMukyoXATP28y7uMmaiYNyDbiA2lAkUy8NxpTRxJF40
        g3D8PugVUyHdWjtlTZp+KJ5RrZkbSEEzTDTnxAs=
        -----END CERTIFICATE-----
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC+iu3JOjyscR4X
        LYHzAKrGSghExVhgG1sV53Gr82vwh2xxzExFWEtz1njhYvEjRhr6re2NO3tRZhT+
        xuO/Kg55wKSfT1iWzipmqQZ1mSeMnSFZYx2M4QaMptJyoyKYfapnJGffpIZzPP9Q
        L3nnGn6GcqJWDLRtmpvWf4mfj9/wmNVz40HMz21rBPaxvgEyT/vydNHqUwRXtmLD
        aPffb00JZ4w6rHyfsXVIZbZfIxIOPvsTs1NcoKH0djE4W/Vtr/DnoYaPwsD/5VeS
        IS7VpdXB1F49uMRZj+nTRoJRNRwE5mVMwis1JqM/BK3U+qzNSK7bo/N5Faz6VwPd
        P7wkGnFxAgMBAAECggEAA6FA62r1GfHjuVxQE/GIz1M8uhaqWtZak12/4B84iLID
        wl06fL20XkYRMnYAkwP0Yp8qndyquj/AGaRvVUZ3VSFy4WgRD3po+2Cv81CSHM8n
        gfzt5K+qwMYyzyVFdPM76lAavHt1Zj+cu4nUAC+UhnorlokSbN4bpufyFryWbw5p
        5EjvdtSb9igoQBWAmNoSPrc3vvN021ic63cuYYMafY7sbAm2Hibr+x1uxIfLU98m
        7W2Hoyf8LjX2D0eZGaGStKEA9sBtyFBYVmq/XjQhxHb71XWcopPgqKNK/+N9CSBP
        6ZNYgG/gaTyaEBX+XLvhyHQWvt852vog5QLcFuwj0wKBgQDeeUgMGz7Q4RTtNx6b
        iEye7ac5R2/R876XH/Cuwz2/Q6msthAFtJrlQaq9/NgdqCgplHNfyTZQCZZHtOjn
        Tn/zEKhk9JMfXkEffdX8j/GGNXMB1E8eXKX2tshM9/KmVwIJ38fftyL/8t+V/61e
        8yl6PCWIZHODbonj56RlC3onJwKBgQDbQcrvNK1CDxc4SFWlXF5iSobCvReF4nzQ
        2eOOYEWl1QkGys/mLw2DaI4W10JE8qcBxN8oB4x+X0/P1VU+4DPrwRfEQgNVnLG4
        luP/8Yhv0sMbUkDtaFr77NRm7r2a+WFTJPQgrqKUaIqHi3lMD/+6PoiG+ZK8uj9c
        n9hsXPZBpwKBgQCmIFaGg8nSXGEuCdzXM15Txw76HLgJRUPqwbUOK0jui+4lxAYO
        3KBV1UVUfXw8GRd0hR/qROxDtAT+Ir9QCjRNIwE78c3yvIVQqLyjzjECkOMCWLGD
        8JcVtcO4heYyBALHsM0l5zFBgvEmpzelEVrFpig4wxnm6SIahx0hPwLGPQKBgCql
        Sl5qZYSiwMZus1HdfHIrwrhf5RJichqBNtR7fzB5Fi9fBT7lSgCUNobUyYv1kmwy
        qaD0juwJh9GJ0fHP0+l3/jJrEJD3UE3x81jV1s7BNLe8sOo8UO4NK2b16qUY+kgc
        uOsebHrnNoKUqzwTJI9KGG4AXv0cULSoVoUFM9SjAoGAdDjYnzVrlOyzynLD+lxn
        oJ+EN4hCQZBjZjq242kepqbo+HV6NHsiV9CLf35X9z9hUlTcnlurZlnQursuYYju
        D756xe4i7UFQesrF9zTQKANWBhmi0KmQUYfTOoXGPwOUOGbOMswJTOntuprVh9G1
        OgVf5gwKukNmC3L8F7n4nmU=
        -----END PRIVATE KEY-----
        """

    /// `openssl x509 -outform der | openssl dgst -sha256 -binary | base64url`
    static let sha256Thumbprint = "y9yYPpcBp5f8FTC9Z_TPH5XtcxebqrNKiRRsXS9-NpY"
    static let portalThumbprint = "D130B4C894A1EDB72C51D608AB3F6441A364E4FB"

    static let encryptedKeyPEM = """
        -----BEGIN CERTIFICATE-----
        MIIDGTCCAgGgAwIBAgIUAkul6/2NoI/iQ8R4i+2zFQYzPLwwDQYJKoZIhvcNAQEL
        BQAwHDEaMBgGA1UEAwwRc2NpbWN0bC10ZXN0LW9ubHkwHhcNMjYxMTI0MTIyMjUy
        WhcNMzYxMTIxMTIyMjUyWjAcMRowGAYDVQQDDBFzY2ltY3RsLXRlc3Qtb25seTCC
        ASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAL6K7ck6PKxxHhctgfMAqsZK
        CETFWGAbWxXncavza/CHbHHMTEVYS3PWeOFi8SNGGvqt7Y07e1FmFP7G478qDnnA
        pJ9PWJbOKmapBnWZJ4ydIVljHYzhBoym0nKjIph9qmckZ9+khnM8/1AveecafoZy
        olYMtG2am9Z/iZ+P3/CY1XPjQczPbWsE9rG+ATJP+/J00epTBFe2YsNo999vTQln
        jDqsfJ+xdUhltl8jEg4++xOzU1ygofR2MThb9W2v8Oehho/CwP/lV5IhLtWl1cHU
        Xj24xFmP6dNGglE1HATmZUzCKzUmoz8ErdT6rM1Irtuj83kVrPpXA90/vCQacXEC
        AwEAAaNTMFEwHQYDVR0OBBYEFBVMFNMvz9JM+XVoVSfRoVMZ5+Z0MB8GA1UdIwQY
        MBaAFBVMFNMvz9JM+XVoVSfRoVMZ5+Z0MA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZI
        hvcNAQELBQADggEBAJFGSp9kfJR6jX12TEu8MAeIbu2u2WSMGgQwfmOwHExGuC7S
        Halal0wfIrTjd1GmS+rzYZbU0C/OAFv+VC8LPtMIPiVEYFVt87OwJEJoP+PJZMr+
        TJRaxv/vfcRoo6Eg3ryxno78T5iK6+VvmXZkZ8aOEllnfJeW4RNUj2DmH0C4Esc9
        0x8d6g3HMvgJZXHfQZn1Q6tRl9Iev72K3WwYxMHHMszq22BNQMTndysIusdoakX5
        wZLojf6MNtxP7/Y6CBPGsaMukyoXATP28y7uMmaiYNyDbiA2lAkUy8NxpTRxJF40
        g3D8PugVUyHdWjtlTZp+KJ5RrZkbSEEzTDTnxAs=
        -----END CERTIFICATE-----
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIhI0ee1bSTE4CAggA
        MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBBhdCJllH6CbGVh/0WhXw33BIIE
        0OcngPXfxuLj9jsaooaDejTxlPLHNvd+9THmQenotgRxUAZ5wqYGyqJ4lZbkrelo
        OHKInq0PhgE00ejubQRcVmpM8tb9i4OWnqsaqpTc7wXnhr+Dq2P+dczEO1mLWfGq
        AsnJL4asat7S2uwBEDajnngnFconOo9o+8LYpT5CpMfazpmsQAIuAgixny7imz2W
        dm96bBqSr0fIE4HwaQKr08lS9nte+Jw0yKA9jRRbREjivlrduhABBEtKk7xDWRcW
        +mkYQE3DccrxHgV3M9L7kkHchxxbLCcrnLL6lwC0ASOhoJnb8sV2safvU8oy7c9s
        KJQwDd9dxU4/4xFOqHUOLPWN3R0bsCLsXG5MR5x8BAree2bAdBhORhRKZH0Mep/+
        m0Gb3Tjzd5MpUUFYfPiI1e+Ja3UjMR5LJPMYeousRIUM76Us9V56M2Cb7Na/iYtv
        resTmhcFj58fPdIH5i7iB6sKBv0/fobLit+z+1JuSVB6RgqT4tVMuoEj9+T/O66J
        TWvCnHA2duDDU5gJooxfoos4Y8IQPhGnDztOgwBW7mUqwBSd1hWXZTzb1gvMRqO6
        xcsChQDCcb2Zbr8MaD35V1yQE05HyJUZHDsP3kpwTl5zuX7/TcvSnUXSTTsB+FBe
        0V8M0lhfWSetyFMzryKFvCCD9y72ihOXw2qNHYcKQzmqKamDd+G0m0cB58I4U6IR
        b0tTpgxrUHDvWqM06XuyqJyxPVlvPhj/adiyosc8cg3h/IhyNfNHRiflkAtYyLnC
        lue0g5lEy627DQjXnMpfscbdfbqwvxT4B+eP7jBSbKO+FObdSLpoBFxK3NUUIuTc
        nWnCV+KKOXFBCo5KTMyZtjocZ+KIvwFyeRoay96RB8MwnWYyMxoD5rKvYzNg1TLN
        awAI8alJTny8VtTL81d2rJoY6kwSYXIjre+c1Hxd/avNIuVUsaf8c/o5fkejPYPN
        asagWdPT5GfNN48d44h3SHTDk3lG6yPyqBbxRwtiZI/m6/1agumPmi4nk2fXQMFV
        BCpoYjFmwUkPbaQP3t1tInJu3wglV1IdFkUOtIIal7DXGqSE6hOzirGcdq/Y4n4b
        TaewQu6lQLIVAdxsnbm4SlwaSd0Slb7pMhtIWN1pp+DDyk5V5YcUQhS0LXULwsy9
        B2mzCQS5oERBYNpwCmgYCcPJQD7KSMMHY2eD9RkI17PCulbFGSZ1cE4STcE2Rq96
        bPhKfVeYEhioWAT16wpjCsc4lX3HTQ9fIrDEFDIMb7cDbXDOc4rZye80sWIRUXn/
        1W3IREREaZt04KK5qAOtEsCTAxZtdQ5mTG38/iR/O1fb58gLLjBnAqXXis+ypV8P
        Ir89cCmx2bdhPfH//sjeu8bfUlO0bdgYlnS0imyOU2zBBP3XEJKLjaqzDnGhsHh/
        7tkyrCTj8reLglUs92yYvEYXhXMOumYz6YhG2yWAmx5OkvUmG7XLD1/ukLBB6uNv
        LbJZAsmrczolv9GQFnqaz4UnhE+L3sl3nWDmsONTmV4dZ85BD68FXoE2UgbrE8F3
        ApQ0ATQYsellSDhVtviT20jW/WJlkDwwen4l0J9uxRASE22PiDfcLwXD6fvixYX7
        D1TV1Oz/lP765JlGWa3Vm+8nuxSNKMCLUXt5xrM3FrOE
        -----END ENCRYPTED PRIVATE KEY-----
        """
}
